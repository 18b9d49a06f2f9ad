/**
 * A relay restart in the middle of a backlog (moved from the user-service's relay.int.test.ts),
 * including the "published but not yet marked" window: nothing is lost, re-sent duplicates are
 * harmless — on SQLite and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRules, rejects, ruleFromEvent, ruleKey } from '@revocation-fabric/protocol';
import type { RevocationEvent, RevocationRule } from '@revocation-fabric/protocol';
import { kafkaBrokers, startEventTap, uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import {
  logoutAll,
  openSessions,
  outboxDepth,
  outboxMark,
  outboxSince,
} from '../test-support/app.js';
import { DATABASE_KINDS, createTestDatabase } from '../test-support/databases.js';
import type { TestDatabase } from '../test-support/databases.js';
import { startRelay } from '../test-support/relay.js';

/** The rules a verifier replaying `events` ends with: merged per key, as the protocol says. */
function replay(events: readonly RevocationEvent[]): RevocationRule[] {
  const rules = new Map<string, RevocationRule>();
  for (const event of events) {
    const rule = ruleFromEvent(event);
    const known = rules.get(ruleKey(rule));
    rules.set(ruleKey(rule), known === undefined ? rule : mergeRules(known, rule));
  }
  return [...rules.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, rule]) => rule);
}

describe.each(DATABASE_KINDS)('outbox relay restarts on %s', (kind) => {
  let database: TestDatabase;
  const topic = uniqueTopic(`pub-restart-${kind}`);
  const kafka = () => ({ brokers: kafkaBrokers(), topic });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('loses nothing when the relay stops mid-stream and a new instance takes over; re-sent duplicates are harmless', async () => {
    const firstDb = database.open();
    const first = await startRelay(firstDb, kind, kafka(), { batchSize: 1 });
    const sessions = await openSessions(firstDb, 60);
    const mark = await outboxMark(firstDb);

    // Part one is published and acknowledged; then pretend the instance died after Kafka
    // acknowledged ten of those events but before it marked them sent.
    await logoutAll(firstDb, sessions.slice(0, 20), () => first.relay.wake());
    await waitFor(async () => (await outboxDepth(firstDb)) === 0, { timeoutMs: 30_000 });
    const published = await outboxSince(firstDb, mark);
    const unmarked = published.slice(0, 10).map((e) => e.id);
    await firstDb
      .updateTable('outbox')
      .set({ sent_at: null })
      .where('event_id', 'in', unmarked)
      .execute();

    // Part two piles up; the relay is stopped in the middle of it.
    await first.relay.stop();
    await logoutAll(firstDb, sessions.slice(20));
    first.relay.start();
    await waitFor(() => first.relay.status().published >= 22, { intervalMs: 2, timeoutMs: 30_000 });
    await first.relay.stop();
    const secondDb = database.open();
    const second = await startRelay(secondDb, kind, kafka(), { batchSize: 1 });
    try {
      expect(await outboxDepth(secondDb)).toBeGreaterThan(0);
      const events = await outboxSince(secondDb, mark);
      expect(events).toHaveLength(60);
      const tap = await startEventTap(kafkaBrokers(), topic);
      try {
        await tap.waitForIds(
          events.map((e) => e.id),
          60_000,
        );
        await waitFor(async () => (await outboxDepth(secondDb)) === 0, { timeoutMs: 30_000 });
        await tap.drain();
        // The ten unmarked events went out twice; everything else once at least.
        for (const id of unmarked)
          expect(tap.events.filter((e) => e.id === id).length).toBeGreaterThanOrEqual(2);
        expect(new Set(tap.events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
        // Duplicates change nothing: replaying the topic as a verifier does (duplicates and
        // all) gives exactly the rules of the 60 events once each, and rejects all 60 sessions.
        const rules = replay(tap.events);
        expect(rules).toEqual(replay(events));
        for (const sid of sessions) {
          const token = { sid, sub: 'someone', issuedAt: Date.now() };
          expect(rules.filter((rule) => rejects(rule, token))).toHaveLength(1);
        }
      } finally {
        await tap.stop();
      }
    } finally {
      await second.relay.stop();
    }
  });
});
