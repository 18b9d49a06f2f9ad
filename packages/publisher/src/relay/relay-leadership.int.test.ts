/**
 * Several instances on one PostgreSQL database (moved from the user-service's
 * relay.int.test.ts): exactly one relays at a time, and a takeover loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, startEventTap, uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import { logoutAll, openSessions, outboxMark, outboxSince } from '../test-support/app.js';
import { createTestDatabase } from '../test-support/databases.js';
import type { TestDatabase } from '../test-support/databases.js';
import { startRelay } from '../test-support/relay.js';

describe('several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('relays from exactly one instance at a time and hands over without loss', async () => {
    const kafka = { brokers: kafkaBrokers(), topic: uniqueTopic('pub-multi') };
    const dbA = database.open();
    const dbB = database.open();
    const a = { db: dbA, ...(await startRelay(dbA, 'postgres', kafka)) };
    const b = { db: dbB, ...(await startRelay(dbB, 'postgres', kafka)) };
    const tap = await startEventTap(kafka.brokers, kafka.topic);
    try {
      const leaders = () => [a, b].filter((s) => s.relay.status().leader);
      await waitFor(() => leaders().length === 1, { timeoutMs: 10_000 });
      const mark = await outboxMark(dbA);
      const viaA = await openSessions(dbA, 10);
      const viaB = await openSessions(dbB, 10);
      const logouts = [
        logoutAll(dbA, viaA, () => a.relay.wake()),
        logoutAll(dbB, viaB, () => b.relay.wake()),
      ];
      for (let i = 0; i < 20; i++) {
        expect(leaders().length).toBeLessThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await Promise.all(logouts);
      const firstBatch = await outboxSince(dbA, mark);
      expect(firstBatch).toHaveLength(20);
      await tap.waitForIds(firstBatch.map((e) => e.id));

      const [leader] = leaders();
      const survivor = leader === a ? b : a;
      await leader?.relay.stop();
      // A stopped instance also closes its connections, releasing the advisory lock.
      await leader?.db.destroy();
      await waitFor(() => survivor.relay.status().leader, {
        timeoutMs: 15_000,
        description: 'takeover',
      });
      const mark2 = await outboxMark(survivor.db);
      await logoutAll(survivor.db, await openSessions(survivor.db, 5), () => survivor.relay.wake());
      const secondBatch = await outboxSince(survivor.db, mark2);
      expect(secondBatch).toHaveLength(5);
      await tap.waitForIds(secondBatch.map((e) => e.id));
    } finally {
      await tap.stop();
      await Promise.allSettled([a.relay.stop(), b.relay.stop()]);
    }
  });
});
