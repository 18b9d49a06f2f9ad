/**
 * Client-choice, idle phase: N idle broadcast readers of one client in one process (N = 1 and
 * 10), and a process with none (the floor), one arm after the other, the clients' order swapped
 * every round; per arm, CPU and requests over a window after a warm-up.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadavg } from 'node:os';
import type { BenchContext } from '../context.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import { read, rates, roundOrder, startWorker } from './arm.js';
import type { Rates } from './arm.js';

/** One idle arm of one round. */
export interface IdleArm extends Rates {
  /** `none`: the worker process with no reader (the floor of any arm). */
  readonly client: ReaderKind | 'none';
  readonly consumers: number;
  readonly round: number;
  /** From the start message to every reader joined and replayed, ms. */
  readonly startMs: number;
  /** Share of all cores busy during the window (every process on the machine), 0..1. */
  readonly machineBusy: number;
  readonly loadavg1: number;
  readonly warnings: readonly string[];
}

export interface IdlePlan {
  readonly rounds: number;
  readonly consumerCounts: readonly number[];
  readonly warmupMs: number;
  readonly windowMs: number;
}

async function idleArm(
  ctx: BenchContext,
  topic: string,
  client: ReaderKind | 'none',
  consumers: number,
  round: number,
  plan: IdlePlan,
  fetchWaitMs: number,
): Promise<IdleArm> {
  const worker = startWorker(`idle-${client}-${consumers}`);
  try {
    worker.send({
      type: 'start',
      client: client === 'none' ? 'kafkajs' : client,
      count: client === 'none' ? 0 : consumers,
      receipts: false,
      brokers: ctx.brokers,
      topic,
      fetchWaitMs,
    });
    const { ms: startMs } = await worker.next('ready', 120_000);
    await sleep(plan.warmupMs);
    const machineBefore = cpuTimes();
    const before = await read(worker);
    await sleep(plan.windowMs);
    const after = await read(worker);
    const arm: IdleArm = {
      client,
      consumers: client === 'none' ? 0 : consumers,
      round,
      startMs,
      ...rates(before, after),
      machineBusy: busyShare(machineBefore, cpuTimes()),
      loadavg1: loadavg()[0] ?? NaN,
      warnings: after.sample.warnings,
    };
    ctx.log(
      `client-choice idle r${round} ${client} ×${arm.consumers}: ${arm.cpuMsPerS.toFixed(2)} ms/s CPU (/proc; cpuUsage ${arm.cpuUsageMsPerS.toFixed(2)}), ${arm.socketRequestsPerS.toFixed(2)} requests/s (client: ${arm.clientRequestsPerS.toFixed(2)} ${JSON.stringify(arm.requestsPerSByApi)}), machine ${(arm.machineBusy * 100).toFixed(0)} % busy`,
    );
    return arm;
  } finally {
    await worker.stop();
  }
}

/** Runs every idle arm of every round on `topic`. */
export async function idlePhase(
  ctx: BenchContext,
  topic: string,
  plan: IdlePlan,
  fetchWaitMs: number,
): Promise<IdleArm[]> {
  const arms: IdleArm[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    arms.push(await idleArm(ctx, topic, 'none', 0, round, plan, fetchWaitMs));
    for (const consumers of plan.consumerCounts) {
      for (const client of roundOrder(round)) {
        arms.push(await idleArm(ctx, topic, client, consumers, round, plan, fetchWaitMs));
      }
    }
  }
  return arms;
}
