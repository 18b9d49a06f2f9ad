/**
 * B4 — cold start: time until `ready()` with N live rules in the topic, against a bare kafkajs
 * consumer reading the same topic to its end. Runs alternate (bare, verifier, bare, …) so a
 * change in background load hits both; the ratio is of medians.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../context.js';
import { WorkerProcess } from '../lib/child.js';
import { median, ratio } from '../lib/stats.js';
import type { ColdStartRequest, ColdStartResult } from './worker.js';

export interface B4Case {
  readonly rules: number;
  /** Time to produce the topic, ms (context, not a target). */
  readonly produceMs: number;
  readonly verifierMs: readonly number[];
  readonly bareMs: readonly number[];
  /** The floor: the bare consumer parsing and keeping every record (absent in older files). */
  readonly floorMs?: readonly number[];
  readonly verifierMedianMs: number;
  readonly bareMedianMs: number;
  readonly floorMedianMs?: number;
  /** verifier ÷ bare, medians. */
  readonly ratio: number;
  /** verifier ÷ floor, medians. */
  readonly ratioToFloor?: number;
  /**
   * A verifier started from the snapshot a previous one saved on close (nothing published
   * since: the tail is empty), ms per run; absent in older files.
   */
  readonly snapshotMs?: readonly number[];
  readonly snapshotMedianMs?: number;
  /** Records the started-from-snapshot verifier read from the topic (0: nothing but the snapshot). */
  readonly snapshotApplied?: number;
  /** Rules it held once ready (equals `rulesLoaded` when the snapshot holds them all). */
  readonly snapshotRules?: number;
  /** close() of the verifier that saved the snapshot, ms: the snapshot's encoding and write. */
  readonly snapshotSaveMs?: number;
  /** The snapshot file, MB. */
  readonly snapshotMB?: number;
  /** The event loop's longest stall while that close() saved the snapshot, ms. */
  readonly snapshotSaveStallMs?: number;
  /** Rules the verifier held when ready (equals `rules` when nothing was skipped). */
  readonly rulesLoaded: number;
  readonly verifierHeapUsedMB: number;
}

export interface B4Result {
  readonly method: string;
  readonly repetitions: number;
  readonly cases: readonly B4Case[];
}

async function once(
  ctx: BenchContext,
  mode: ColdStartRequest['mode'],
  topic: string,
  snapshotDirectory?: string,
): Promise<ColdStartResult> {
  const worker = WorkerProcess.start<ColdStartRequest | { type: 'stop' }, ColdStartResult>(
    'cold-start/worker',
    `b4-${mode}`,
    // 3M parsed records (the floor arm) outgrow V8's default old space.
    { execArgv: ['--max-old-space-size=8192'] },
  );
  try {
    worker.send({
      type: 'run',
      mode,
      brokers: ctx.brokers,
      topic,
      ...(snapshotDirectory === undefined ? {} : { snapshotDirectory }),
    });
    return await worker.next('result', 10 * 60_000);
  } finally {
    await worker.stop();
  }
}

/** Rule counts of B4: up to 3M in the full run, for the cold-start-against-size chart. */
export function coldStartSizes(quick: boolean): readonly number[] {
  return quick ? [20_000, 100_000] : [100_000, 1_000_000, 3_000_000];
}

/**
 * One verifier replays in full and saves a snapshot on close; then fresh verifiers start from
 * it, `repetitions` times (each saves nothing new: nothing moved).
 */
async function fromSnapshot(ctx: BenchContext, topic: string, repetitions: number) {
  const directory = await mkdtemp(join(tmpdir(), 'bench-b4-snapshot-'));
  try {
    const saved = await once(ctx, 'snapshot-save', topic, directory);
    const files = await readdir(directory);
    const bytes = (
      await Promise.all(files.map(async (file) => (await stat(join(directory, file))).size))
    ).reduce((a, b) => a + b, 0);
    const snapshotMs: number[] = [];
    let last: ColdStartResult | undefined;
    for (let r = 0; r < repetitions; r++) {
      last = await once(ctx, 'snapshot', topic, directory);
      snapshotMs.push(Math.round(last.ms));
    }
    return {
      snapshotMs,
      snapshotMedianMs: median(snapshotMs),
      snapshotApplied: last?.applied ?? 0,
      snapshotRules: last?.count ?? 0,
      snapshotSaveMs: Math.round(saved.closeMs ?? 0),
      snapshotSaveStallMs: Math.round(saved.longestStallMs ?? 0),
      snapshotMB: Math.round(bytes / 2 ** 20),
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export async function runB4(ctx: BenchContext): Promise<B4Result> {
  const repetitions = ctx.quick ? 2 : 3;
  const cases: B4Case[] = [];
  for (const size of coldStartSizes(ctx.quick)) {
    const { topic, loadMs } = await ctx.ruleTopic(size);
    const verifierMs: number[] = [];
    const bareMs: number[] = [];
    const floorMs: number[] = [];
    let rulesLoaded = 0;
    let heap = 0;
    for (let r = 0; r < repetitions; r++) {
      const bare = await once(ctx, 'bare', topic);
      bareMs.push(Math.round(bare.ms));
      if (bare.count !== size)
        throw new Error(`bare consumer read ${bare.count} of ${size} records`);
      const verifier = await once(ctx, 'verifier', topic);
      verifierMs.push(Math.round(verifier.ms));
      rulesLoaded = verifier.count;
      heap = verifier.heapUsed;
      const floor = await once(ctx, 'floor', topic);
      floorMs.push(Math.round(floor.ms));
      ctx.log(
        `B4: ${size} rules: verifier ${Math.round(verifier.ms)} ms, bare ${Math.round(bare.ms)} ms, floor ${Math.round(floor.ms)} ms`,
      );
    }
    const snapshot = await fromSnapshot(ctx, topic, repetitions);
    ctx.log(
      `B4: ${size} rules: from a snapshot ${snapshot.snapshotMs.join(', ')} ms (saved in ${snapshot.snapshotSaveMs} ms, longest stall ${snapshot.snapshotSaveStallMs} ms, ${snapshot.snapshotMB} MB)`,
    );
    const verifierMedianMs = median(verifierMs);
    const bareMedianMs = median(bareMs);
    const floorMedianMs = median(floorMs);
    cases.push({
      rules: size,
      produceMs: loadMs,
      verifierMs,
      bareMs,
      floorMs,
      verifierMedianMs,
      bareMedianMs,
      floorMedianMs,
      ratio: ratio(verifierMedianMs, bareMedianMs),
      ratioToFloor: ratio(verifierMedianMs, floorMedianMs),
      rulesLoaded,
      verifierHeapUsedMB: Math.round(heap / 2 ** 20),
      ...snapshot,
    });
  }
  return {
    method:
      'Each run is a fresh child process; the clock starts when the client is created (after module loading). Verifier: createVerifier(...) → ready() (high-water marks captured, topic replayed, every record decoded, validated and applied). Bare: kafkajs admin fetchTopicOffsets, then a consumer (own group, fromBeginning, maxWaitTimeInMs 100) counting records until every partition reached its mark. Floor: the same consumer decoding, JSON.parse-ing and keeping every record in a Map by key (the least any reader that holds the rules must do). Runs alternate bare/verifier/floor; medians. From a snapshot: one verifier replays in full with kafkaRevocations({ snapshot: { directory } }) and saves on close (its close() time is the save); then fresh processes start from that snapshot (header and checksum checked, token columns decoded, rules merged, each partition read from its anchor record to the high-water mark).',
    repetitions,
    cases,
  };
}
