/**
 * The write path as a service runs it, on a real broker and real databases: the topic's
 * retention checked at start, revocations accepted while Kafka is away, and what readiness and
 * the metrics say meanwhile.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { TopicRetentionTooShortError } from '@revocation-fabric/protocol';
import { outboxHeadersMigration, outboxMigration } from '@revocation-fabric/publisher';
import {
  TEST_DATABASE_KINDS,
  createTestDatabase,
  createTopic,
  kafkaBrokers,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import { createIssuer } from './issuer.js';
import type { Issuer } from './issuer.js';
import type { IssuerOutboxTable } from './store/outbox-table.js';

const HOUR_MS = 3_600_000;

interface Schema {
  outbox: IssuerOutboxTable;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function issuer(
  kind: 'sqlite' | 'postgres',
  kafka: { readonly brokers: readonly string[]; readonly topic: string },
  registry = new Registry(),
): Promise<Issuer<Schema>> {
  const database = await createTestDatabase(kind, { prefix: 'issuer_kit' });
  cleanup.push(() => database.drop());
  const created = createIssuer<Schema>({
    database: database.config,
    migrations: (dialect) => ({
      '0001-outbox': outboxMigration({ dialect }),
      '0002-outbox-headers': outboxHeadersMigration(),
    }),
    kafka: {
      ...kafka,
      clientId: 'issuer-kit-test',
      partitions: 3,
      replicationFactor: 1,
      sasl: undefined,
      tls: undefined,
    },
    outbox: { pollIntervalMs: 100, maxRetryDelayMs: 500, retentionMs: HOUR_MS },
    retention: { maxTokenLifetimeMs: HOUR_MS, clockToleranceMs: 5000 },
    metrics: { registry, prefix: 'kit_test_' },
    events: { issuer: 'https://issuer.test' },
    logger: pino({ level: 'silent' }),
    now: () => Date.now(),
  });
  cleanup.push(() => created.stop());
  return created;
}

/** A topic created beforehand with this `retention.ms`, as an operator would have. */
async function topicKeeping(retentionMs: number): Promise<string> {
  const topic = uniqueTopic('kit-retention');
  await createTopic(kafkaBrokers(), {
    topic,
    partitions: 3,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(retentionMs) },
    ],
  });
  return topic;
}

describe('an issuer checks the retention of its revocation topic at start', () => {
  it('refuses to start on a topic that keeps events for 30 min while tokens may live an hour', async () => {
    const topic = await topicKeeping(HOUR_MS / 2);
    const refused = await issuer('sqlite', { brokers: kafkaBrokers(), topic });
    const start = refused.start();
    await expect(start).rejects.toBeInstanceOf(TopicRetentionTooShortError);
    await expect(start).rejects.toMatchObject({
      code: 'TOPIC_RETENTION_TOO_SHORT',
      topic,
      verdict: { retentionMs: HOUR_MS / 2, requiredRetentionMs: HOUR_MS + 10_000 },
    });
  });

  it('starts on a topic that keeps events for the lifetime and twice the tolerance', async () => {
    const topic = await topicKeeping(HOUR_MS + 10_000);
    const started = await issuer('sqlite', { brokers: kafkaBrokers(), topic });
    await started.start();
    expect(await started.readiness()).toMatchObject({
      status: 200,
      body: { status: 'ready', kafka: 'ok', relay: { running: true, leader: true } },
    });
  });
});

describe.each(TEST_DATABASE_KINDS)('an issuer on %s while Kafka is unreachable', (kind) => {
  it('commits a revocation, keeps it in the outbox and says so in readiness and metrics', async () => {
    const registry = new Registry();
    // Nothing listens on port 1: every connection attempt is refused at once.
    const started = await issuer(kind, { brokers: ['127.0.0.1:1'], topic: 'unused' }, registry);
    await started.start();
    const { events } = await started.revocationTransaction(({ emit }) =>
      emit({ kind: 'session', sid: 's1', reason: 'logout', actor: 'user-1' }),
    );
    expect(events).toHaveLength(1);
    const { status, body } = await started.readiness();
    expect(status).toBe(200);
    expect(body).toMatchObject({ kafka: 'unreachable', outbox: { pending: 1 } });
    expect(body.summary).toMatch(/Kafka is unreachable, so 1 revocations wait/);
    await waitFor(
      async () => {
        const metrics = await registry.metrics();
        return (
          /kit_test_outbox_publish_failures_total [1-9]/.test(metrics) &&
          /kit_test_outbox_depth 1\b/.test(metrics) &&
          /kit_test_outbox_relay_leader 1\b/.test(metrics) &&
          /kit_test_outbox_published_total 0\b/.test(metrics)
        );
      },
      { timeoutMs: 30_000, description: 'publish failures, a depth of 1 and the leader gauge' },
    );
  });
});
