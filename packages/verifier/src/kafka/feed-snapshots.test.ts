import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SinkSnapshots } from '../feed.js';
import { asArrays } from '../lib/frozen-tokens.fixture.js';
import { silentLogger } from '../logger.js';
import type { PartitionOffsets } from './client.js';
import { FeedSnapshots, resumePlans } from './feed-snapshots.js';
import type { SnapshotPosition } from './replay-tracker.js';

const T = 'auth.revocations';
const offsets = (...parts: Array<[number, number]>): PartitionOffsets[] =>
  parts.map(([low, high], partition) => ({ topic: T, partition, low, high }));
const at = (
  partition: number,
  offset: number,
  anchor: SnapshotPosition['anchor'] = { offset: offset - 1, timestamp: 7 },
): SnapshotPosition => ({ topic: T, partition, offset, anchor });

describe('resumePlans', () => {
  it('resumes a partition from its anchor, and reads from the start what the snapshot cannot vouch for', () => {
    const plans = resumePlans(
      [at(0, 10), at(1, 3), at(2, 5, null)],
      // partition 1 now starts at 4 (retention took what the snapshot held); 3 is new.
      offsets([0, 12], [4, 9], [0, 6], [0, 2]),
    );
    expect(plans).toEqual([
      { kind: 'anchor', topic: T, partition: 0, anchor: { offset: 9, timestamp: 7 }, resumeAt: 10 },
      { kind: 'start', topic: T, partition: 1 },
      { kind: 'start', topic: T, partition: 2 },
      { kind: 'start', topic: T, partition: 3 },
    ]);
  });

  it('refuses a snapshot ahead of the topic, or whose last record retention removed', () => {
    expect(resumePlans([at(0, 10)], offsets([0, 9]))).toMatch(/truncated or recreated/);
    expect(resumePlans([at(0, 10, { offset: 2, timestamp: 1 })], offsets([5, 12]))).toMatch(
      /no longer holds the snapshot's last record/,
    );
  });
});

describe('FeedSnapshots', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'feed-snapshots-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  function sink(fingerprint: string, state: unknown = { issuers: [] }): SinkSnapshots {
    return { fingerprint, capture: () => state, restore: () => {} };
  }
  const snapshots = (s: SinkSnapshots, topics = [T], dir = directory) =>
    new FeedSnapshots({
      directory: dir,
      intervalMs: 1_000,
      topics,
      sink: s,
      logger: silentLogger,
      now: () => 1_000,
    });

  it('loads what it saved, for the same fingerprint, cluster and topics only', async () => {
    const state = {
      issuers: [
        {
          issuer: 'i',
          tokens: { targets: ['a'], packed: [1], updatedAt: [2], eventIds: ['e'] },
          sessions: [],
          subjects: [],
          keys: [],
          global: null,
        },
      ],
    };
    expect(await snapshots(sink('f1', state)).save('c1', [at(0, 10)])).toBe(true);
    const loaded = await snapshots(sink('f1')).load('c1', offsets([0, 12]));
    expect(asArrays(loaded?.state)).toEqual(state);
    expect(loaded?.plans).toHaveLength(1);
    expect(await snapshots(sink('f2')).load('c1', offsets([0, 12]))).toBeUndefined();
    expect(await snapshots(sink('f1')).load('c2', offsets([0, 12]))).toBeUndefined();
    expect(await snapshots(sink('f1'), [T, 'other']).load('c1', offsets([0, 12]))).toBeUndefined();
  });

  it('does not save again when nothing moved, nor while the sink cannot give its state', async () => {
    const store = snapshots(sink('f1'));
    expect(await store.save('c1', [at(0, 10)])).toBe(true);
    expect(await store.save('c1', [at(0, 10)])).toBe(false);
    const checking: SinkSnapshots = { ...sink('f1'), capture: () => undefined };
    expect(await snapshots(checking).save('c1', [at(0, 11)])).toBe(false);
    expect(await store.save('c1', [at(0, 11)])).toBe(true);
    // Replaced whole: one file, no leftovers beside it.
    expect(await readdir(directory)).toEqual([store.path.slice(directory.length + 1)]);
  });

  it('replays in full from a damaged or foreign file, and saves into a directory it creates', async () => {
    const store = snapshots(sink('f1'));
    await store.save('c1', [at(0, 10)]);
    const bytes = await readFile(store.path);
    await writeFile(store.path, bytes.subarray(0, bytes.length - 5));
    expect(await store.load('c1', offsets([0, 12]))).toBeUndefined();
    await writeFile(store.path, 'not a snapshot');
    expect(await store.load('c1', offsets([0, 12]))).toBeUndefined();
    const nested = snapshots(sink('f1'), [T], join(directory, 'a', 'b'));
    expect(await nested.save('c1', [at(0, 10)])).toBe(true);
    expect(await nested.load('c1', offsets([0, 12]))).toBeDefined();
  });
});
