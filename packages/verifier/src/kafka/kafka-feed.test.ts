import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { NotReadyError } from '../errors.js';
import type { PoisonCode, RevocationSink, SinkSnapshots } from '../feed.js';
import { silentLogger } from '../logger.js';
import type { RecordBatch } from './client.js';
import { FakeClient, batchOf } from './feed-client.fixture.js';
import { FeedSnapshots } from './feed-snapshots.js';
import { KafkaRevocationFeed } from './kafka-feed.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

const TOPIC = 'auth.revocations';

/** A valid event's record value, for session `sid`. */
function sessionEvent(sid: string): Uint8Array {
  const event = createEvent({ kind: 'session', sid, reason: 'logout', actor: 'test', iss: 'x' });
  return Buffer.from(encodeEvent(event).value);
}

function setup(
  offsets: Array<{ low: number; high: number }>,
  snapshot?: { readonly directory: string; readonly snapshots: SinkSnapshots },
) {
  const client = new FakeClient();
  client.offsets = offsets.map(({ low, high }, partition) => ({
    topic: TOPIC,
    partition,
    low,
    high,
  }));
  const feed = new KafkaRevocationFeed(
    {
      brokers: ['127.0.0.1:1'],
      topics: [TOPIC],
      clientId: 'feed-test',
      tls: undefined,
      sasl: undefined,
      connectionTimeoutMs: 1_000,
      receiptIntervalMs: 1_000,
      logger: silentLogger,
      now: () => Date.now(),
      clockToleranceMs: 5_000,
      // No issuer speaks through the topic: its retention is not judged.
      maxTokenLifetimeMs: () => undefined,
      ...(snapshot === undefined
        ? {}
        : { snapshot: { directory: snapshot.directory, intervalMs: 60_000 } }),
    },
    client,
  );
  const events: RevocationEvent[] = [];
  const poison: PoisonCode[] = [];
  const sink: RevocationSink = {
    event: (event) => events.push(event),
    poison: (code) => poison.push(code),
    snapshots: snapshot?.snapshots,
  };
  let ready = false;
  feed.ready().then(
    () => (ready = true),
    () => {},
  );
  return { client, feed, sink, events, poison, ready: () => ready };
}

describe('KafkaRevocationFeed over a client double', () => {
  it('becomes ready only once the replay reaches the high-water mark captured at start', async () => {
    const { client, feed, sink, events, ready } = setup([{ low: 0, high: 3 }]);
    feed.start(sink);
    await vi.advanceTimersByTimeAsync(0);
    const consumer = client.last();
    expect(consumer.running).toBe(true);
    expect(feed.isReady()).toBe(false);

    // The partition grew to 50 since start: only the 3 records there at start are waited for.
    await consumer.report.batch(batchOf(TOPIC, 0, [sessionEvent('a'), sessionEvent('b')], 50));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.isReady()).toBe(false);
    expect(ready()).toBe(false);
    expect(feed.stats().lagByPartition).toEqual({ [`${TOPIC}/0`]: 48 });

    await consumer.report.batch(batchOf(TOPIC, 2, [sessionEvent('c')], 50));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.isReady()).toBe(true);
    expect(ready()).toBe(true);
    expect(events.map((event) => (event.kind === 'session' ? event.sid : ''))).toEqual([
      'a',
      'b',
      'c',
    ]);
    // Ready: the replay watch's admin is let go.
    expect(client.admins[0]?.connected).toBe(false);
    await feed.close();
  });

  it('is ready on an empty topic as soon as a consumer runs, after failed starts', async () => {
    const { client, feed, sink, ready } = setup([{ low: 4, high: 4 }]);
    client.plan.push('fails');
    feed.start(sink);
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.isReady()).toBe(false);
    await vi.advanceTimersByTimeAsync(300); // the first backoff: 250 ms ± 20 %
    expect(client.consumers).toHaveLength(2);
    expect(ready()).toBe(true);
    await feed.close();
  });

  it('after a crash, resumes where it stopped and delivers no event twice', async () => {
    const { client, feed, sink, events } = setup([{ low: 0, high: 4 }]);
    feed.start(sink);
    await vi.advanceTimersByTimeAsync(0);
    const first = client.last();
    await first.report.batch(batchOf(TOPIC, 0, [sessionEvent('a'), sessionEvent('b')]));

    first.report.crashed(new Error('not authorized'), false);
    await vi.advanceTimersByTimeAsync(0);
    const second = client.last();
    expect(second).not.toBe(first);
    expect(first.disconnects).toBe(1);
    expect(second.join()).toEqual([{ topic: TOPIC, partition: 0, offset: 2 }]);
    // The seek did not take: the new consumer reads from the beginning again.
    const all = [sessionEvent('a'), sessionEvent('b'), sessionEvent('c'), null];
    await second.report.batch(batchOf(TOPIC, 0, all));
    expect(events).toHaveLength(3);
    expect(feed.stats()).toMatchObject({
      ready: true,
      applied: 3,
      poisonByCode: { EVENT_NOT_JSON: 1 },
    });
    await feed.close();
  });

  it('commits what it applied as receipts, and all of it again from a restarted consumer', async () => {
    const { client, feed, sink } = setup([{ low: 0, high: 2 }]);
    feed.start(sink);
    await vi.advanceTimersByTimeAsync(0);
    const first = client.last();
    // Running, nothing applied yet: nothing to commit.
    expect(first.commits).toEqual([]);
    await first.report.batch(batchOf(TOPIC, 0, [sessionEvent('a'), sessionEvent('b')]));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.commits).toEqual([[{ topic: TOPIC, partition: 0, offset: 2 }]]);
    // A later event within the interval: one trailing commit once the interval is over.
    await first.report.batch(batchOf(TOPIC, 2, [sessionEvent('c')]));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.commits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.commits.at(-1)).toEqual([{ topic: TOPIC, partition: 0, offset: 3 }]);

    first.report.crashed(new Error('not authorized'), false);
    await vi.advanceTimersByTimeAsync(0);
    const second = client.last();
    // Its group may be a new one, holding no receipt: the position is committed at once.
    expect(second.commits).toEqual([[{ topic: TOPIC, partition: 0, offset: 3 }]]);
    expect(feed.stats().receipts).toBe(3);
    await feed.close();
  });

  it('rejects ready() when closed first, and deletes the consumer group it used', async () => {
    const { client, feed, sink } = setup([{ low: 0, high: 1 }]);
    feed.start(sink);
    await vi.advanceTimersByTimeAsync(0);
    const consumer = client.last();
    await feed.close();
    await expect(feed.ready()).rejects.toBeInstanceOf(NotReadyError);
    expect(consumer.disconnects).toBe(1);
    const deleted = client.admins.flatMap((admin) => admin.deletedGroups);
    expect(deleted).toEqual([consumer.options.groupId]);
  });
});

describe('KafkaRevocationFeed resuming from a snapshot', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'feed-resume-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  /** Records written at `at`, ms: the fixed time a snapshot's anchor names. */
  const writtenAt = (batch: RecordBatch, at: number): RecordBatch => ({
    ...batch,
    records: batch.records.map((record) => ({ ...record, timestamp: at })),
  });
  const ANCHOR_AT = 1_700_000_000_000;

  const sessions = (events: readonly RevocationEvent[]) =>
    events.map((event) => (event.kind === 'session' ? event.sid : ''));

  /** A snapshot of offsets 0–2 of partition 0 (the record at 2 written at `anchorAt`). */
  async function saved(anchorAt: number) {
    const restored: unknown[] = [];
    const snapshots: SinkSnapshots = {
      fingerprint: 'intake',
      capture: () => ({ issuers: [] }),
      restore: (state) => restored.push(state),
    };
    await new FeedSnapshots({
      directory,
      intervalMs: 60_000,
      topics: [TOPIC],
      sink: snapshots,
      logger: silentLogger,
      now: () => Date.now(),
    }).save('fixture-cluster', [
      { topic: TOPIC, partition: 0, offset: 3, anchor: { offset: 2, timestamp: anchorAt } },
    ]);
    return { snapshots, restored };
  }

  /** A feed over 5 records of partition 0, started with that snapshot, its consumer running. */
  async function resuming() {
    const { snapshots, restored } = await saved(ANCHOR_AT);
    const fed = setup([{ low: 0, high: 5 }], { directory, snapshots });
    fed.feed.start(fed.sink);
    await vi.waitFor(() => expect(fed.client.consumers).toHaveLength(1));
    return { ...fed, restored, consumer: fed.client.last() };
  }

  it('merges the state once the last record it reflects reads back, and delivers only the tail', async () => {
    const { feed, events, ready, restored, consumer } = await resuming();
    expect(consumer.join()).toEqual([{ topic: TOPIC, partition: 0, offset: 2 }]);
    expect(restored).toHaveLength(0);
    const tail = [sessionEvent('c'), sessionEvent('d'), sessionEvent('e')];
    await consumer.report.batch(writtenAt(batchOf(TOPIC, 2, tail), ANCHOR_AT));
    await vi.advanceTimersByTimeAsync(0);
    expect(restored).toEqual([{ issuers: [] }]);
    expect(sessions(events)).toEqual(['d', 'e']);
    expect(ready()).toBe(true);
    await feed.close();
  });

  it('drops the snapshot and reads everything again when that record reads back changed', async () => {
    const { client, feed, events, ready, restored, consumer: first } = await resuming();
    first.join();
    // The topic was recreated: offset 2 holds another record now.
    await first.report.batch(writtenAt(batchOf(TOPIC, 2, [sessionEvent('x')], 5), ANCHOR_AT + 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(client.consumers).toHaveLength(2);
    const second = client.last();
    expect(second.options.groupId).not.toBe(first.options.groupId);
    expect(second.join()).toEqual([]);
    expect(ready()).toBe(false);
    const all = ['v', 'w', 'x', 'y', 'z'].map(sessionEvent);
    await second.report.batch(batchOf(TOPIC, 0, all));
    await vi.advanceTimersByTimeAsync(0);
    expect(ready()).toBe(true);
    expect(restored).toHaveLength(0);
    // The changed record was not delivered by the first consumer: every event exactly once.
    expect(sessions(events)).toEqual(['v', 'w', 'x', 'y', 'z']);
    await feed.close();
  });

  it('deletes the group of the consumer it replaced while it runs, and the current one at close', async () => {
    const { client, feed, consumer: first } = await resuming();
    first.join();
    await first.report.batch(writtenAt(batchOf(TOPIC, 2, [sessionEvent('x')], 5), ANCHOR_AT + 1));
    await vi.advanceTimersByTimeAsync(0);
    const second = client.last();
    expect(second).not.toBe(first);
    expect(client.deletedGroups()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(client.deletedGroups()).toEqual([first.options.groupId]);
    await feed.close();
    // Each group deleted once: close deletes only what is left.
    expect(client.deletedGroups().sort()).toEqual(
      [first.options.groupId, second.options.groupId].sort(),
    );
  });

  it('keeps trying to delete a replaced consumer’s group it is still a member of, and runs on', async () => {
    const { client, feed, consumer: first } = await resuming();
    first.join();
    first.disconnectFails = true;
    await first.report.batch(writtenAt(batchOf(TOPIC, 2, [sessionEvent('x')], 5), ANCHOR_AT + 1));
    await vi.advanceTimersByTimeAsync(1_500);
    // The group is not empty: no deletion, no crash, the new consumer reads on.
    expect(client.deletedGroups()).toEqual([]);
    const second = client.last();
    await second.report.batch(batchOf(TOPIC, 0, ['v', 'w', 'x', 'y', 'z'].map(sessionEvent)));
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.isReady()).toBe(true);
    expect(client.consumers).toHaveLength(2);
    // The coordinator drops the lingering member: the next attempt deletes the group.
    first.sessionExpired();
    await vi.advanceTimersByTimeAsync(7_500);
    expect(client.deletedGroups()).toEqual([first.options.groupId]);
    await feed.close();
  });
});
