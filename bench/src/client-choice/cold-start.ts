/**
 * Client-choice, cold-start phase: a fresh process per run reads a topic of N live rules from
 * its beginning to the high-water marks it captured first, either decoding and validating every
 * record with the protocol's codec (as the verifier does) or only counting them (the client's
 * own share); the clients alternate, their order swapped every repetition.
 */
import type { BenchContext } from '../context.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { roundOrder, startWorker } from './arm.js';
import type { RequestCounts } from './worker.js';

/** What a replay does with each record. */
export type ReplayMode = 'decode' | 'count';

/** One timed replay. */
export interface ColdStartRun {
  readonly client: ReaderKind;
  readonly mode: ReplayMode;
  readonly repetition: number;
  readonly rules: number;
  /** Client created → last record below the start marks, ms. */
  readonly ms: number;
  /** CPU of the process over the same span (all its threads), ms. */
  readonly cpuMs: number;
  readonly records: number;
  readonly poison: number;
  readonly heapUsedMB: number;
  readonly requests: RequestCounts;
  readonly warnings: readonly string[];
}

async function replayOnce(
  ctx: BenchContext,
  client: ReaderKind,
  mode: ReplayMode,
  repetition: number,
  topic: string,
  rules: number,
  fetchWaitMs: number,
): Promise<ColdStartRun> {
  const worker = startWorker(`replay-${client}-${mode}`);
  try {
    worker.send({
      type: 'replay',
      client,
      decode: mode === 'decode',
      brokers: ctx.brokers,
      topic,
      fetchWaitMs,
    });
    const result = await worker.next('replayed', 10 * 60_000);
    if (result.records !== rules)
      throw new Error(`${client} read ${result.records} of ${rules} records (${mode})`);
    ctx.log(
      `client-choice cold start r${repetition} ${client} ${mode}: ${Math.round(result.ms)} ms, ${Math.round(result.cpuMs)} ms CPU`,
    );
    return {
      client,
      mode,
      repetition,
      rules,
      ms: Math.round(result.ms),
      cpuMs: Math.round(result.cpuMs),
      records: result.records,
      poison: result.poison,
      heapUsedMB: Math.round(result.heapUsed / 2 ** 20),
      requests: result.requests,
      warnings: result.warnings,
    };
  } finally {
    await worker.stop();
  }
}

/** Runs `repetitions` × both modes × both clients on the shared topic of `rules` rules. */
export async function coldStartPhase(
  ctx: BenchContext,
  plan: { readonly repetitions: number; readonly rules: number },
  fetchWaitMs: number,
): Promise<ColdStartRun[]> {
  const { topic } = await ctx.ruleTopic(plan.rules);
  const runs: ColdStartRun[] = [];
  for (let repetition = 0; repetition < plan.repetitions; repetition++) {
    for (const mode of ['decode', 'count'] as const) {
      for (const client of roundOrder(repetition)) {
        runs.push(await replayOnce(ctx, client, mode, repetition, topic, plan.rules, fetchWaitMs));
      }
    }
  }
  return runs;
}
