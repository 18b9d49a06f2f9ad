/**
 * Options of the Kafka publisher, in our own words: no Kafka client type appears here, so the
 * client behind them can change without changing a caller.
 */
import type { PublisherLogger } from '../logger.js';

/** TLS towards the brokers. PEM strings or buffers; node's defaults apply to what is left out. */
export interface KafkaTls {
  /** Trusted CA certificates. Default: node's bundled roots. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /** Client certificate, for mutual TLS. */
  readonly cert?: string | Buffer | undefined;
  /** Client private key, for mutual TLS. */
  readonly key?: string | Buffer | undefined;
  /** Refuse brokers whose certificate does not verify. Default true. */
  readonly rejectUnauthorized?: boolean | undefined;
  /** Server name for SNI and certificate checks. Default: the broker's host. */
  readonly servername?: string | undefined;
}

/** SASL authentication towards the brokers. */
export interface KafkaSasl {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

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

/** Options of {@link kafkaPublisher}. */
export interface KafkaPublisherOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  /** Client id the brokers see (and ACLs may name). Default `revocation-publisher`. */
  readonly clientId?: string | undefined;
  /** The revocation topic. Default `auth.revocations`. */
  readonly topic?: string | undefined;
  /** TLS: `true` for node's defaults, or the details. Default off. */
  readonly tls?: boolean | KafkaTls | undefined;
  /** SASL credentials. Default none. */
  readonly sasl?: KafkaSasl | undefined;
  /**
   * Create the topic on connect when it is missing, and check the cleanup settings really in
   * force on the topic, found or created: `connect()` rejects with the protocol's
   * `TopicRetentionTooShortError` (code `TOPIC_RETENTION_TOO_SHORT`) when the topic may delete
   * events before their rules may be forgotten (`retention.ms` below the maximum token lifetime
   * + 2 × tolerance). `publish()` still publishes to such a topic, and logs the problem as an
   * error. Needs the DescribeConfigs ACL on the topic. Default: neither create nor check it.
   */
  readonly createTopic?: KafkaTopicCreation | undefined;
  /** TCP connect timeout in ms. Default 3000. */
  readonly connectionTimeoutMs?: number | undefined;
  /** Request timeout in ms, also the broker-side wait for acks=all. Default 10 000. */
  readonly requestTimeoutMs?: number | undefined;
  /** Where client warnings go (at debug level: the relay logs failures itself). Default nowhere. */
  readonly logger?: PublisherLogger | undefined;
}
