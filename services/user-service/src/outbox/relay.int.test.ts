/**
 * The outbox relay against real brokers: a Kafka outage during 100 logouts, a relay restart in
 * the middle of a backlog (including the "published but not yet marked" window), and — on
 * PostgreSQL — several instances sharing one database with one relay at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, startNode, stopCluster, stopNode } from '@revocation-fabric/kafka-local';
import { uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import type { UserService } from '../service.js';
import {
  Api,
  DATABASE_KINDS,
  EventTap,
  PASSWORD,
  createTestDatabase,
  kafkaBrokers,
  outboxDepth,
  outboxMark,
  outboxSince,
  startUserService,
  startVerifier,
  uniqueUsername,
  verdict,
} from '../test-support/harness.js';
import type { TestDatabase, Tokens } from '../test-support/harness.js';

/** Opens `count` sessions of one new user. */
async function openSessions(api: Api, count: number): Promise<Tokens[]> {
  const name = uniqueUsername('relay');
  await api.register(name, PASSWORD);
  const sessions: Tokens[] = [];
  // A few at a time: argon2id is deliberately expensive and the machine has two cores.
  for (let i = 0; i < count; i += 4) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(4, count - i) }, () => api.login(name, PASSWORD)),
    );
    sessions.push(...batch);
  }
  return sessions;
}

async function logoutAll(api: Api, sessions: readonly Tokens[]): Promise<void> {
  for (let i = 0; i < sessions.length; i += 10) {
    const statuses = await Promise.all(
      sessions
        .slice(i, i + 10)
        .map(
          async (s) => (await api.request('POST', '/auth/logout', { token: s.accessToken })).status,
        ),
    );
    expect(statuses.every((status) => status === 204)).toBe(true);
  }
}

describe('outbox relay through a Kafka outage', () => {
  // A broker of our own that this file may stop; its ports are in the 39000–39999 range.
  const cluster = { name: 'user-service-outage', basePort: 39_092 };
  let brokers: string[];

  beforeAll(async () => {
    const started = await startCluster({ ...cluster, fresh: true });
    brokers = [...started.brokers];
  });

  afterAll(async () => {
    await stopCluster({ name: cluster.name });
  });

  it.each(DATABASE_KINDS)(
    'answers 100 logouts while Kafka is down and delivers all 100 events once it is back (%s)',
    async (kind) => {
      const database = await createTestDatabase(kind);
      let service: UserService | undefined;
      let tap: EventTap | undefined;
      try {
        service = await startUserService({
          ...database.env,
          KAFKA_BROKERS: brokers.join(','),
          REVOCATION_TOPIC: uniqueTopic(`us-outage-${kind}`),
          REVOCATION_TOPIC_PARTITIONS: '3',
        });
        const api = new Api(service.url ?? '');
        const sessions = await openSessions(api, 100);
        const mark = await outboxMark(service.store);

        await stopNode(1, { name: cluster.name });
        await logoutAll(api, sessions);
        const events = await outboxSince(service.store, mark);
        expect(events).toHaveLength(100);
        expect(new Set(events.map((e) => (e.kind === 'session' ? e.sid : '')))).toEqual(
          new Set(sessions.map((s) => s.sessionId)),
        );
        // The relay keeps failing and says so; the backlog is visible in the metrics.
        await waitFor(
          async () => {
            const metrics = (await api.request<string>('GET', '/metrics')).body;
            return (
              /user_service_outbox_publish_failures_total [1-9]/.test(metrics) &&
              /user_service_outbox_depth 100\b/.test(metrics)
            );
          },
          { timeoutMs: 30_000, description: 'publish failures and a depth of 100 in /metrics' },
        );
        expect(await outboxDepth(service.store)).toBe(100);

        await startNode(1, { name: cluster.name });
        tap = await EventTap.start(brokers, service.config.kafka.topic);
        const delivered = await tap.waitForIds(
          events.map((e) => e.id),
          90_000,
        );
        expect(new Set(delivered.map((e) => e.id)).size).toBe(100);
        const running = service;
        await waitFor(async () => (await outboxDepth(running.store)) === 0, {
          timeoutMs: 30_000,
          description: 'outbox drained',
        });
      } finally {
        await tap?.stop();
        await service?.stop();
        await database.drop();
      }
    },
    240_000,
  );
});

describe.each(DATABASE_KINDS)('outbox relay restarts on %s', (kind) => {
  let database: TestDatabase;
  const topic = uniqueTopic(`us-restart-${kind}`);
  const env = () => ({
    ...database.env,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    REVOCATION_TOPIC: topic,
    REVOCATION_TOPIC_PARTITIONS: '3',
    OUTBOX_BATCH_SIZE: '1',
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('loses nothing when the relay stops mid-stream and a new instance takes over; re-sent duplicates are harmless', async () => {
    const first = await startUserService(env());
    const api = new Api(first.url ?? '');
    const sessions = await openSessions(api, 60);
    const mark = await outboxMark(first.store);

    // Part one is published and acknowledged; then pretend the instance died after Kafka
    // acknowledged ten of those events but before it marked them sent.
    await logoutAll(api, sessions.slice(0, 20));
    await waitFor(async () => (await outboxDepth(first.store)) === 0, { timeoutMs: 30_000 });
    const published = await outboxSince(first.store, mark);
    const unmarked = published.slice(0, 10).map((e) => e.id);
    await first.store.db
      .updateTable('outbox')
      .set({ sentAt: null })
      .where('eventId', 'in', unmarked)
      .execute();

    // Part two piles up; the relay is stopped in the middle of it.
    await first.relay.stop();
    await logoutAll(api, sessions.slice(20));
    first.relay.start();
    await waitFor(() => first.relay.status().published >= 22, { intervalMs: 2, timeoutMs: 30_000 });
    await first.stop();
    const second = await startUserService(env());
    try {
      expect(await outboxDepth(second.store)).toBeGreaterThan(0);
      const events = await outboxSince(second.store, mark);
      expect(events).toHaveLength(60);
      const tap = await EventTap.start(kafkaBrokers(), topic);
      try {
        await tap.waitForIds(
          events.map((e) => e.id),
          60_000,
        );
        await waitFor(async () => (await outboxDepth(second.store)) === 0, { timeoutMs: 30_000 });
        await tap.drain();
        // The ten unmarked events went out twice; everything else once at least.
        for (const id of unmarked)
          expect(tap.events.filter((e) => e.id === id).length).toBeGreaterThanOrEqual(2);
        expect(new Set(tap.events.map((e) => e.id))).toEqual(new Set(events.map((e) => e.id)));
      } finally {
        await tap.stop();
      }
      // Duplicates change nothing: a verifier replaying the topic rejects every one of the 60.
      const verifier = await startVerifier(second);
      try {
        for (const session of sessions)
          expect(await verdict(verifier, session.accessToken)).toBe('TOKEN_REVOKED');
      } finally {
        await verifier.close();
      }
    } finally {
      await second.stop();
    }
  });
});

describe('several instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('relays from exactly one instance at a time and hands over without loss', async () => {
    const env = {
      ...database.env,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      REVOCATION_TOPIC: uniqueTopic('us-multi'),
      REVOCATION_TOPIC_PARTITIONS: '3',
    };
    const a = await startUserService(env);
    const b = await startUserService(env);
    const tap = await EventTap.start(kafkaBrokers(), env.REVOCATION_TOPIC);
    try {
      const leaders = () => [a, b].filter((s) => s.relay.status().leader);
      await waitFor(() => leaders().length === 1, { timeoutMs: 10_000 });
      const mark = await outboxMark(a.store);
      const viaA = await openSessions(new Api(a.url ?? ''), 10);
      const viaB = await openSessions(new Api(b.url ?? ''), 10);
      const logouts = [
        logoutAll(new Api(a.url ?? ''), viaA),
        logoutAll(new Api(b.url ?? ''), viaB),
      ];
      for (let i = 0; i < 20; i++) {
        expect(leaders().length).toBeLessThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await Promise.all(logouts);
      const firstBatch = await outboxSince(a.store, mark);
      expect(firstBatch).toHaveLength(20);
      await tap.waitForIds(firstBatch.map((e) => e.id));

      const [leader] = leaders();
      const survivor = leader === a ? b : a;
      await leader?.stop();
      await waitFor(() => survivor.relay.status().leader, {
        timeoutMs: 15_000,
        description: 'takeover',
      });
      const mark2 = await outboxMark(survivor.store);
      await logoutAll(
        new Api(survivor.url ?? ''),
        await openSessions(new Api(survivor.url ?? ''), 5),
      );
      const secondBatch = await outboxSince(survivor.store, mark2);
      expect(secondBatch).toHaveLength(5);
      await tap.waitForIds(secondBatch.map((e) => e.id));
    } finally {
      await tap.stop();
      await Promise.allSettled([a.stop(), b.stop()]);
    }
  });
});
