/**
 * An issuing service's wiring of the publisher's outbox relay: its Kafka settings, topic
 * creation sized from its longest token lifetime, its logger, metrics and clock. How the relay
 * works — leadership on PostgreSQL, backoff, purge, the Kafka producer — is explained in the
 * publisher's README.
 */
import { OutboxRelay } from '@revocation-fabric/publisher';
import type { RelayObserver, SqlDialect } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import type { Kysely } from 'kysely';
import type { IssuerLogger } from '../issuer-logger.js';
import type {
  IssuerKafkaConfig,
  IssuerOutboxConfig,
  TopicRetentionBasis,
} from './relay-settings.js';

/** What {@link createIssuerRelay} wires together. */
export interface IssuerRelayOptions<DB> {
  readonly store: { readonly db: Kysely<DB>; readonly dialect: SqlDialect };
  readonly kafka: IssuerKafkaConfig;
  readonly outbox: IssuerOutboxConfig;
  /** Sizes a created topic's retention, and the least an existing topic must keep. */
  readonly retention: TopicRetentionBasis;
  readonly logger: IssuerLogger;
  /** Metrics hooks (see `registerIssuerMetrics`). */
  readonly observer?: RelayObserver | undefined;
  readonly now: () => number;
}

/**
 * The relay of one instance: publishes its database's outbox to the revocation topic, creating
 * the topic when it is missing; `prepare()` rejects with `TopicRetentionTooShortError` when an
 * existing topic would delete events before their rules may be forgotten.
 *
 * @example
 * ```ts
 * const relay = createIssuerRelay({ store, kafka: config.kafka, outbox: config.outbox,
 *   retention: { maxTokenLifetimeMs, clockToleranceMs }, logger, now });
 * await relay.prepare(3000);
 * relay.start();
 * ```
 */
export function createIssuerRelay<DB>(options: IssuerRelayOptions<DB>): OutboxRelay<DB> {
  const { store, outbox } = options;
  const { topic, partitions, replicationFactor, ...connection } = options.kafka;
  const logger = options.logger.child({ component: 'outbox-relay' });
  return new OutboxRelay({
    db: store.db,
    dialect: store.dialect,
    publisher: kafkaPublisher({
      ...connection,
      topic,
      createTopic: {
        partitions,
        replicationFactor,
        maxTokenLifetimeMs: options.retention.maxTokenLifetimeMs,
        clockToleranceMs: options.retention.clockToleranceMs,
      },
      logger,
    }),
    batchSize: outbox.batchSize,
    pollIntervalMs: outbox.pollIntervalMs,
    maxRetryDelayMs: outbox.maxRetryDelayMs,
    retentionMs: outbox.retentionMs,
    logger,
    observer: options.observer,
    now: options.now,
  });
}
