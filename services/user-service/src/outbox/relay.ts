/**
 * The user-service's wiring of the publisher's outbox relay (`@revocation-fabric/publisher`):
 * its configuration, logger, metrics and clock. How the relay works — leadership on PostgreSQL,
 * backoff, purge, the Kafka producer — is explained in the publisher's README.
 */
import { OutboxRelay } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import type { Logger } from 'pino';
import type { UserServiceConfig } from '../config.js';
import type { DataStore } from '../db/connect.js';
import type { Database } from '../db/schema.js';
import type { ServiceMetrics } from '../metrics.js';

export { OutboxRelay } from '@revocation-fabric/publisher';
export type { RelayStatus } from '@revocation-fabric/publisher';

/** What {@link createServiceRelay} wires together. */
export interface ServiceRelayOptions {
  readonly store: DataStore;
  readonly config: UserServiceConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly now: () => number;
}

/**
 * The relay of one user-service instance: publishes its database's outbox to the revocation
 * topic, creating the topic (retention from the token lifetimes) when it is missing.
 *
 * @example
 * ```ts
 * const relay = createServiceRelay({ store, config, logger, metrics, now });
 * await relay.prepare(3000);
 * relay.start();
 * ```
 */
export function createServiceRelay(options: ServiceRelayOptions): OutboxRelay<Database> {
  const { store, config, metrics } = options;
  const logger = options.logger.child({ component: 'outbox-relay' });
  return new OutboxRelay({
    db: store.db,
    dialect: store.dialect,
    publisher: kafkaPublisher({
      brokers: config.kafka.brokers,
      clientId: config.kafka.clientId,
      topic: config.kafka.topic,
      sasl: config.kafka.sasl,
      tls: config.kafka.tls,
      createTopic: {
        partitions: config.kafka.partitions,
        replicationFactor: config.kafka.replicationFactor,
        maxTokenLifetimeMs: config.tokens.maxTokenLifetimeSeconds * 1000,
        clockToleranceMs: config.tokens.clockToleranceMs,
      },
      logger,
    }),
    batchSize: config.outbox.batchSize,
    pollIntervalMs: config.outbox.pollIntervalMs,
    maxRetryDelayMs: config.outbox.maxRetryDelayMs,
    retentionMs: config.outbox.retentionMs,
    logger,
    observer: {
      published: (count) => metrics.published.inc(count),
      publishFailed: () => metrics.publishFailures.inc(),
      leaderChanged: (leader) => metrics.relayLeader.set(leader ? 1 : 0),
    },
    now: options.now,
  });
}
