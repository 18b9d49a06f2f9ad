/**
 * The relay through a Kafka outage (moved from the user-service's relay.int.test.ts): 100
 * revocations committed while the broker is down are all answered, kept, reported as a backlog
 * and delivered once it is back — on SQLite and on PostgreSQL. The run's shared broker must not
 * be stopped, so this file asks the testkit for a single-node cluster of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  faultKafkaSupport,
  startEventTap,
  startFaultKafka,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { FaultKafka } from '@revocation-fabric/testkit';
import { outboxBacklog } from '../outbox/backlog.js';
import {
  logoutAll,
  openSessions,
  outboxDepth,
  outboxMark,
  outboxSince,
} from '../test-support/app.js';
import { DATABASE_KINDS, createTestDatabase } from '../test-support/databases.js';
import type { EventTap } from '@revocation-fabric/testkit';
import { startRelay } from '../test-support/relay.js';
import type { TestRelay } from '../test-support/relay.js';

const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[relay-outage] skipped: ${faults.reason}`);

describe.skipIf(!faults.supported)('outbox relay through a Kafka outage', () => {
  // A broker of our own that this file may stop.
  let kafka: FaultKafka | undefined;
  let brokers: string[];
  const cluster = (): FaultKafka => {
    if (kafka === undefined) throw new Error('the outage cluster did not start');
    return kafka;
  };

  beforeAll(async () => {
    kafka = await startFaultKafka({ name: 'publisher-outage' });
    brokers = kafka.brokers;
  }, 240_000);

  afterAll(async () => {
    await kafka?.close();
  }, 120_000);

  it.each(DATABASE_KINDS)(
    'keeps 100 revocations committed while Kafka is down and delivers all 100 once it is back (%s)',
    async (kind) => {
      const database = await createTestDatabase(kind);
      const db = database.open();
      const topic = uniqueTopic(`pub-outage-${kind}`);
      let running: TestRelay | undefined;
      let tap: EventTap | undefined;
      try {
        running = await startRelay(db, kind, { brokers, topic });
        const { relay } = running;
        const sessions = await openSessions(db, 100);
        const mark = await outboxMark(db);

        await cluster().stopNode(1);
        // Every revocation commits while the broker is away: none waits for Kafka.
        await logoutAll(db, sessions, () => relay.wake());
        const events = await outboxSince(db, mark);
        expect(events).toHaveLength(100);
        expect(new Set(events.map((e) => (e.kind === 'session' ? e.sid : '')))).toEqual(
          new Set(sessions),
        );
        // The relay keeps failing and says so; the backlog is visible to metrics.
        const failing = running;
        await waitFor(
          async () =>
            failing.failures() >= 1 &&
            !relay.status().kafkaHealthy &&
            (await outboxBacklog(db)).depth === 100,
          { timeoutMs: 30_000, description: 'publish failures and a backlog of 100' },
        );
        expect((await outboxBacklog(db)).oldestCreatedAt).toBe(
          Math.min(...events.map((e) => e.issuedAt)),
        );
        expect(await outboxDepth(db)).toBe(100);

        await cluster().startNode(1);
        tap = await startEventTap(brokers, topic);
        const delivered = await tap.waitForIds(
          events.map((e) => e.id),
          90_000,
        );
        expect(new Set(delivered.map((e) => e.id)).size).toBe(100);
        await waitFor(async () => (await outboxDepth(db)) === 0, {
          timeoutMs: 30_000,
          description: 'outbox drained',
        });
        expect(relay.status()).toMatchObject({ kafkaHealthy: true, lastError: undefined });
      } finally {
        await tap?.stop();
        await running?.relay.stop();
        await database.drop();
      }
    },
    240_000,
  );
});
