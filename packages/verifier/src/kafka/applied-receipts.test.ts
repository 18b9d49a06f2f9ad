import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartitionPosition } from './client.js';
import { AppliedReceipts } from './applied-receipts.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function setup(options: { running?: boolean; fails?: boolean } = {}) {
  let positions: PartitionPosition[] = [];
  const commits: (readonly PartitionPosition[])[] = [];
  const state = { running: options.running ?? true, fails: options.fails ?? false };
  const receipts = new AppliedReceipts({
    intervalMs: 1_000,
    positions: () => positions,
    commit: (moved) => {
      if (state.fails) return Promise.reject(new Error('NOT_COORDINATOR'));
      if (!state.running) return Promise.resolve(false);
      commits.push(moved);
      return Promise.resolve(true);
    },
    logger: silent,
    now: () => Date.now(),
  });
  const move = (partition: number, offset: number) => {
    positions = [
      ...positions.filter((p) => p.partition !== partition),
      { topic: 't', partition, offset },
    ];
  };
  return { receipts, commits, move, state };
}

describe('AppliedReceipts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('commits the first applied position at once', async () => {
    const { receipts, commits, move } = setup();
    move(0, 5);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: 5 }]]);
    expect(receipts.commits).toBe(1);
  });

  it('coalesces a flood into one trailing commit per interval', async () => {
    const { receipts, commits, move } = setup();
    move(0, 1);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    for (let offset = 2; offset <= 50; offset += 1) {
      move(0, offset);
      receipts.applied();
      await vi.advanceTimersByTimeAsync(10);
    }
    // 490 ms in: only the leading commit.
    expect(commits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([
      [{ topic: 't', partition: 0, offset: 1 }],
      [{ topic: 't', partition: 0, offset: 50 }],
    ]);
  });

  it('commits only partitions whose position moved', async () => {
    const { receipts, commits, move } = setup();
    move(0, 3);
    move(1, 7);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    move(1, 8);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits[1]).toEqual([{ topic: 't', partition: 1, offset: 8 }]);
  });

  it('commits nothing while nothing moved', async () => {
    const { receipts, commits, move } = setup();
    move(0, 3);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(5_000);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(commits).toHaveLength(1);
    // A round trip: a move is committed, so the silence above was not a dead committer.
    move(0, 4);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toHaveLength(2);
  });

  it('commits everything again when a consumer starts in a new group', async () => {
    const { receipts, commits, move, state } = setup({ running: false });
    move(0, 9);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toHaveLength(0);
    state.running = true;
    receipts.consumerRunning();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: 9 }]]);
    receipts.consumerRunning();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toHaveLength(2);
  });

  it('survives a failed commit and carries the position in the next', async () => {
    const { receipts, commits, move, state } = setup({ fails: true });
    move(0, 2);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    state.fails = false;
    move(0, 3);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits).toEqual([[{ topic: 't', partition: 0, offset: 3 }]]);
  });

  it('stops committing once stopped', async () => {
    const { receipts, commits, move } = setup();
    move(0, 1);
    receipts.applied();
    await vi.advanceTimersByTimeAsync(0);
    move(0, 2);
    receipts.applied();
    await receipts.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(commits).toHaveLength(1);
  });
});
