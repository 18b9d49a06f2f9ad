/**
 * B4 — cold start: time until `ready()` with N live rules in the topic, against a bare kafkajs
 * consumer reading the same topic to its end. Runs alternate (bare, verifier, bare, …) so a
 * change in background load hits both; the ratio is of medians.
 */
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
): Promise<ColdStartResult> {
  const worker = WorkerProcess.start<ColdStartRequest | { type: 'stop' }, ColdStartResult>(
    'cold-start/worker',
    `b4-${mode}`,
    // 3M parsed records (the floor arm) outgrow V8's default old space.
    { execArgv: ['--max-old-space-size=8192'] },
  );
  try {
    worker.send({ type: 'run', mode, brokers: ctx.brokers, topic });
    return await worker.next('result', 10 * 60_000);
  } finally {
    await worker.stop();
  }
}

/** Rule counts of B4: up to 3M in the full run, for the cold-start-against-size chart. */
export function coldStartSizes(quick: boolean): readonly number[] {
  return quick ? [20_000, 100_000] : [100_000, 1_000_000, 3_000_000];
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
    });
  }
  return {
    method:
      'Each run is a fresh child process; the clock starts when the client is created (after module loading). Verifier: createVerifier(...) → ready() (high-water marks captured, topic replayed, every record decoded, validated and applied). Bare: kafkajs admin fetchTopicOffsets, then a consumer (own group, fromBeginning, maxWaitTimeInMs 100) counting records until every partition reached its mark. Floor: the same consumer decoding, JSON.parse-ing and keeping every record in a Map by key (the least any reader that holds the rules must do). Runs alternate bare/verifier/floor; medians.',
    repetitions,
    cases,
  };
}
