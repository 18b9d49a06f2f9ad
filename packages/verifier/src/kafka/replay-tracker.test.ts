import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import type { PartitionOffsets } from './client.js';
import { REPLAY_WATCH_INTERVAL_MS, ReplayTracker } from './replay-tracker.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

const TOPIC = 'auth.revocations';

function offsets(...partitions: Array<[low: number, high: number]>): PartitionOffsets[] {
  return partitions.map(([low, high], partition) => ({ topic: TOPIC, partition, low, high }));
}

function setup(
  readOffsets: () => Promise<readonly PartitionOffsets[]> = () => Promise.resolve([]),
) {
  let watched = 0;
  const tracker = new ReplayTracker({
    logger: silentLogger,
    readOffsets,
    onWatched: () => (watched += 1),
  });
  return { tracker, watched: () => watched };
}

/** Applies every offset in [from, to) of a partition, as a batch would. */
function apply(tracker: ReplayTracker, partition: number, from: number, to: number): number {
  let admitted = 0;
  for (let offset = from; offset < to; offset += 1) {
    if (tracker.of(TOPIC, partition).admit(offset, 0)) admitted += 1;
  }
  return admitted;
}

describe('ReplayTracker', () => {
  it('is not replayed before the high-water marks are captured, even with nothing to read', () => {
    const { tracker } = setup();
    expect(tracker.replayed()).toBe(false);
    tracker.capture([]);
    expect(tracker.replayed()).toBe(true);
  });

  it('is replayed only once every partition reaches the mark captured at start', () => {
    const { tracker } = setup();
    tracker.capture(offsets([0, 3], [0, 2]));
    apply(tracker, 0, 0, 3);
    expect(tracker.replayed()).toBe(false);
    apply(tracker, 1, 0, 1);
    expect(tracker.replayed()).toBe(false);
    apply(tracker, 1, 1, 2);
    expect(tracker.replayed()).toBe(true);
    expect(tracker.lagByPartition()).toEqual({ [`${TOPIC}/0`]: 0, [`${TOPIC}/1`]: 0 });
  });

  it('does not wait for records published after start, nor for empty partitions', () => {
    const { tracker } = setup();
    tracker.capture(offsets([0, 2], [7, 7]));
    // A batch sees the partition has grown since start: the target stays where it was.
    tracker.batchStarting(TOPIC, 0, 50);
    apply(tracker, 0, 0, 2);
    expect(tracker.replayed()).toBe(true);
    expect(tracker.lagByPartition()[`${TOPIC}/0`]).toBe(48);
    expect(tracker.targets()).toEqual({ [`${TOPIC}/0`]: 2 });
  });

  it('admits each record once: a restarted consumer resumes at the position, and re-read records are skipped', () => {
    const { tracker } = setup();
    tracker.capture(offsets([0, 10], [0, 0]));
    expect(apply(tracker, 0, 0, 4)).toBe(4);
    expect(tracker.resumePositions()).toEqual([{ topic: TOPIC, partition: 0, offset: 4 }]);
    // The restarted consumer could not seek and reads from the beginning again.
    expect(apply(tracker, 0, 0, 10)).toBe(6);
    expect(tracker.replayed()).toBe(true);
  });

  it('counts a partition ending in transaction markers as replayed once the markers are read', () => {
    const { tracker } = setup();
    tracker.capture(offsets([0, 5]));
    apply(tracker, 0, 0, 3); // offsets 3 and 4 are commit markers: no record carries them
    expect(tracker.replayed()).toBe(false);
    tracker.markersRead(TOPIC, 0, 4);
    expect(tracker.replayed()).toBe(true);
  });

  it('re-reads a partition from offset 0 when its topic was recreated', () => {
    const { tracker } = setup();
    tracker.capture(offsets([0, 5]));
    apply(tracker, 0, 0, 5);
    tracker.batchStarting(TOPIC, 0, 2);
    expect(tracker.of(TOPIC, 0).next).toBe(0);
    expect(apply(tracker, 0, 0, 2)).toBe(2);
  });

  it('reaches a target whose records retention deleted during the replay, at the next watch', async () => {
    let low = 0;
    const { tracker, watched } = setup(() => Promise.resolve(offsets([low, 100])));
    tracker.capture(offsets([0, 100]));
    tracker.watch();
    apply(tracker, 0, 0, 40);
    low = 100; // the rest of the partition was deleted before the consumer got to it
    await vi.advanceTimersByTimeAsync(REPLAY_WATCH_INTERVAL_MS - 1);
    expect(tracker.replayed()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched()).toBe(1);
    expect(tracker.replayed()).toBe(true);

    tracker.stopWatch();
    await vi.advanceTimersByTimeAsync(REPLAY_WATCH_INTERVAL_MS * 3);
    expect(watched()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps watching when a re-read fails', async () => {
    let fail = true;
    const { tracker, watched } = setup(() =>
      fail ? Promise.reject(new Error('broker away')) : Promise.resolve(offsets([3, 3])),
    );
    tracker.capture(offsets([0, 3]));
    tracker.watch();
    await vi.advanceTimersByTimeAsync(REPLAY_WATCH_INTERVAL_MS);
    expect(watched()).toBe(0);
    fail = false;
    await vi.advanceTimersByTimeAsync(REPLAY_WATCH_INTERVAL_MS);
    expect(watched()).toBe(1);
    expect(tracker.replayed()).toBe(true);
    tracker.stopWatch();
  });
});
