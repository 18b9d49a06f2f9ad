/**
 * Options of the Kafka publisher, in our own words: no Kafka client type appears here, so the
 * client behind them can change without changing a caller. How to reach the brokers is the
 * fabric's one definition (`@revocation-fabric/kafka-connection`), checked the same way as the
 * verifier's.
 */
import type { KafkaConnectionOptions, KafkaTlsOptions } from '@revocation-fabric/kafka-connection';
import type { PublisherLogger } from '../logger.js';

/** @deprecated The name `KafkaTlsOptions` had here before it was shared; use that. */
export type KafkaTls = KafkaTlsOptions;

/** How to create the revocation topic when it is missing (see the protocol's topic spec). */
export interface KafkaTopicCreation {
  /**
   * Longest access-token lifetime in ms: a created topic keeps events twice as long (+ the
   * tolerance), and an existing one must keep them at least this long + 2 × the tolerance.
   */
  readonly maxTokenLifetimeMs: number;
  /** Clock tolerance in ms, added to the retention. Default the protocol's (5000). */
  readonly clockToleranceMs?: number | undefined;
  /** Partitions. Default the protocol's (6). */
  readonly partitions?: number | undefined;
  /** Replication factor. Default 1; use 3 in production. */
  readonly replicationFactor?: number | undefined;
}

/**
 * Options of {@link kafkaPublisher}: the connection (`brokers`, `clientId` — default
 * `revocation-publisher` —, `tls`, `sasl`, `connectionTimeoutMs` — default 3000 ms) and the
 * publisher's own.
 */
export interface KafkaPublisherOptions extends KafkaConnectionOptions {
  /** The revocation topic. Default `auth.revocations`. */
  readonly topic?: string | undefined;
  /**
   * Create the topic on connect when it is missing, and check the cleanup settings really in
   * force on the topic, found or created: `connect()` rejects with the protocol's
   * `TopicRetentionTooShortError` (code `TOPIC_RETENTION_TOO_SHORT`) when the topic may delete
   * events before their rules may be forgotten (`retention.ms` below the maximum token lifetime
   * + 2 × tolerance). `publish()` still publishes to such a topic, and logs the problem as an
   * error. Needs the DescribeConfigs ACL on the topic. Default: neither create nor check it.
   */
  readonly createTopic?: KafkaTopicCreation | undefined;
  /** Request timeout in ms, also the broker-side wait for acks=all. Default 10 000. */
  readonly requestTimeoutMs?: number | undefined;
  /** Where client warnings go (at debug level: the relay logs failures itself). Default nowhere. */
  readonly logger?: PublisherLogger | undefined;
}
