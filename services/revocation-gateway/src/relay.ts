/**
 * The gateway's wiring of the publisher's outbox relay: Kafka principal `gateway` (the client
 * id and, on a secured broker, the SASL user from `KAFKA_SASL_*`), topic creation sized from the
 * longest token lifetime of any provider.
 */
import { OutboxRelay } from '@revocation-fabric/publisher';
import { kafkaPublisher } from '@revocation-fabric/publisher/kafka';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/load-config.js';
import type { DataStore } from './db/connect.js';
import type { GatewayDatabase } from './db/schema.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Creates the relay.
 *
 * @example
 * ```ts
 * const relay = createGatewayRelay({ store, config, logger, metrics, now });
 * ```
 */
export function createGatewayRelay(options: {
  readonly store: DataStore;
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly metrics: GatewayMetrics;
  readonly now: () => number;
}): OutboxRelay<GatewayDatabase> {
  const { store, config, metrics } = options;
  const logger = options.logger.child({ component: 'outbox-relay' });
  const maxTokenLifetimeMs = Math.max(...config.providers.map((p) => p.maxTokenLifetimeMs));
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
        maxTokenLifetimeMs,
        clockToleranceMs: config.clockToleranceMs,
      },
      logger,
    }),
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
