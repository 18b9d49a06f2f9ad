/**
 * The relay's loop on a real in-memory SQLite outbox, with an in-memory RevocationPublisher (our
 * own seam, nothing Kafka-shaped) and fake timers: order, marking with the injected clock,
 * wake(), backoff while the publisher fails, purge. The real broker is in the *.int.test.ts.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeEvent } from '@revocation-fabric/protocol';
import { enqueue } from '../outbox/enqueue.js';
import { outboxMigration } from '../outbox/migration.js';
import type { OutboxSchema } from '../outbox/outbox-table.js';
import type { RevocationMessage, RevocationPublisher } from '../revocation-publisher.js';
import { OutboxRelay } from './outbox-relay.js';

class MemoryPublisher implements RevocationPublisher {
  readonly batches: RevocationMessage[][] = [];
  failNext = 0;
  closed = 0;
  publish(messages: readonly RevocationMessage[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      return Promise.reject(new Error('broker away'));
    }
    this.batches.push([...messages]);
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed += 1;
    return Promise.resolve();
  }
}

const iss = 'https://auth.test';
let db: Kysely<OutboxSchema>;
let publisher: MemoryPublisher;
let relay: OutboxRelay<OutboxSchema> | undefined;

beforeEach(async () => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  db = new Kysely<OutboxSchema>({
    dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
  });
  await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
  publisher = new MemoryPublisher();
});

afterEach(async () => {
  const stopping = relay?.stop();
  await vi.runAllTimersAsync();
  await stopping;
  relay = undefined;
  vi.useRealTimers();
  vi.restoreAllMocks();
  await db.destroy();
});

function start(options: Partial<ConstructorParameters<typeof OutboxRelay<OutboxSchema>>[0]> = {}) {
  relay = new OutboxRelay({ db, dialect: 'sqlite', publisher, pollIntervalMs: 1000, ...options });
  relay.start();
  return relay;
}

const sessionEvent = (sid: string) =>
  enqueue(
    db,
    { kind: 'session', sid, reason: 'logout', actor: 'u', iss },
    { now: () => Date.now() },
  );

async function sentAt(): Promise<(number | null)[]> {
  const rows = await db.selectFrom('outbox').select('sent_at').orderBy('id').execute();
  return rows.map((r) => (r.sent_at === null ? null : Number(r.sent_at)));
}

describe('OutboxRelay', () => {
  it('publishes in allocation order and marks each batch sent with its clock', async () => {
    for (const sid of ['a', 'b', 'c']) await sessionEvent(sid);
    const running = start({ batchSize: 2, now: () => 42 });
    await vi.advanceTimersByTimeAsync(0);
    expect(publisher.batches.map((b) => b.map((m) => decodeEvent(m.value)))).toMatchObject([
      [{ sid: 'a' }, { sid: 'b' }],
      [{ sid: 'c' }],
    ]);
    expect(publisher.batches[0]?.[0]?.key).toBe(`session:${encodeURIComponent(iss)}:a`);
    expect(await sentAt()).toEqual([42, 42, 42]);
    expect(running.status()).toMatchObject({ running: true, leader: true, published: 3 });
  });

  it('marks a busy stretch of batches in one statement, and each event is published once', async () => {
    // This test's own database, whose driver reports every statement it runs.
    const statements: string[] = [];
    await db.destroy();
    db = new Kysely<OutboxSchema>({
      dialect: new SqliteDialect({
        database: new SqliteDatabase(':memory:', {
          verbose: (sql) => {
            if (/^update/i.test(String(sql))) statements.push('update');
          },
        }),
      }),
    });
    await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
    for (let i = 0; i < 10; i++) await sessionEvent(`s${i}`);
    start({ batchSize: 2, markIntervalMs: 60_000, now: () => 7 });
    await vi.advanceTimersByTimeAsync(0);
    // Five batches published, the marks held (interval not reached) and written together when
    // the relay ran out of work.
    expect(publisher.batches.map((b) => b.length)).toEqual([2, 2, 2, 2, 2]);
    expect(statements).toEqual(['update']);
    expect(await sentAt()).toEqual(Array(10).fill(7));
  });

  it('writes the marks of acknowledged events while later publishes keep failing', async () => {
    await sessionEvent('acked');
    await sessionEvent('refused');
    let sends = 0;
    // The first send is acknowledged, every later one refused: the relay never runs out of
    // work, so only the interval can write the first event's mark.
    const flaky: RevocationPublisher = {
      publish: () => (++sends === 1 ? Promise.resolve() : Promise.reject(new Error('broker away'))),
      close: () => Promise.resolve(),
    };
    start({
      publisher: flaky,
      batchSize: 1,
      markIntervalMs: 50,
      firstRetryDelayMs: 100,
      maxRetryDelayMs: 100,
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sends).toBeGreaterThan(2);
    expect((await sentAt()).map((at) => at !== null)).toEqual([true, false]);
  });

  it('wake() publishes a new commit at once instead of at the next poll', async () => {
    const running = start();
    await vi.advanceTimersByTimeAsync(10);
    await sessionEvent('late');
    running.wake();
    await vi.advanceTimersByTimeAsync(10);
    expect(publisher.batches).toHaveLength(1);
  });

  it('keeps events while publishing fails, backs off, and delivers them once it works', async () => {
    // random() = 1: each backoff wait is its full ceiling, so the attempts' instants are exact.
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const failed: number[] = [];
    publisher.failNext = 3;
    await sessionEvent('x');
    const running = start({
      firstRetryDelayMs: 100,
      maxRetryDelayMs: 400,
      observer: { publishFailed: (count) => failed.push(count) },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(failed).toEqual([1]);
    expect(running.status()).toMatchObject({ kafkaHealthy: false, lastError: 'broker away' });
    const row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect([row.attempts, row.last_error, row.sent_at]).toEqual([1, 'broker away', null]);
    // Three failures wait 100, 200 and 400 ms (the ceiling doubles, capped at 400); then the
    // fourth attempt succeeds. No attempt comes a millisecond early.
    await vi.advanceTimersByTimeAsync(99);
    expect(failed).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(199);
    expect(failed).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual([1, 1, 1]);
    await vi.advanceTimersByTimeAsync(399);
    expect(publisher.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(failed).toEqual([1, 1, 1]);
    expect(publisher.batches).toHaveLength(1);
    expect(running.status()).toMatchObject({ kafkaHealthy: true, lastError: undefined });
    expect((await sentAt())[0]).not.toBeNull();
  });

  it('purges rows sent longer ago than the retention, by its clock', async () => {
    let now = 1_000_000;
    await sessionEvent('old');
    const running = start({ retentionMs: 10_000, purgeIntervalMs: 5_000, now: () => now });
    await vi.advanceTimersByTimeAsync(0);
    expect(await sentAt()).toEqual([1_000_000]);
    // A row sent later, still within the retention when the old one is purged: a purge that
    // ignored the retention (or read another clock) would take it too.
    now += 5_000;
    await sessionEvent('young');
    running.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(await sentAt()).toEqual([1_000_000, 1_005_000]);
    now += 5_001;
    await vi.advanceTimersByTimeAsync(1000);
    expect(await sentAt()).toEqual([1_005_000]);
  });

  it('closes the publisher on stop() and can start again', async () => {
    const running = start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = running.stop();
    await vi.advanceTimersByTimeAsync(0);
    await stopping;
    expect([publisher.closed, running.status().running]).toEqual([1, false]);
    await sessionEvent('after-restart');
    running.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(publisher.batches).toHaveLength(1);
  });

  it('refuses a bad option with a TypeError naming it', () => {
    expect(() => new OutboxRelay({ db, dialect: 'sqlite', publisher, batchSize: 0 })).toThrow(
      /batchSize/,
    );
  });
});
