/** A relay as the tests run it: real Kafka publisher, short polls, counted failures. */
import type { Kysely } from 'kysely';
import { kafkaPublisher } from '../kafka/kafka-publisher.js';
import type { SqlDialect } from '../outbox/outbox-table.js';
import { OutboxRelay } from '../relay/outbox-relay.js';
import type { OutboxRelayOptions } from '../relay/relay-options.js';
import type { AppSchema } from './databases.js';

/** A relay and what its observer saw. */
export interface TestRelay {
  readonly relay: OutboxRelay<AppSchema>;
  /** Failed publish attempts so far. */
  readonly failures: () => number;
}

/** Creates (and starts) a relay of `db` to `topic`, creating the topic with three partitions. */
export async function startRelay(
  db: Kysely<AppSchema>,
  dialect: SqlDialect,
  kafka: { readonly brokers: readonly string[]; readonly topic: string },
  overrides: Partial<OutboxRelayOptions<AppSchema>> = {},
): Promise<TestRelay> {
  let failures = 0;
  const relay = new OutboxRelay<AppSchema>({
    db,
    dialect,
    publisher: kafkaPublisher({
      brokers: kafka.brokers,
      topic: kafka.topic,
      clientId: 'publisher-test',
      createTopic: { partitions: 3, maxTokenLifetimeMs: 900_000 },
    }),
    pollIntervalMs: 100,
    maxRetryDelayMs: 1000,
    observer: { publishFailed: () => (failures += 1) },
    ...overrides,
  });
  await relay.prepare(3000);
  relay.start();
  return { relay, failures: () => failures };
}
