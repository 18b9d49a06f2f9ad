/**
 * B13 — what receipts cost (issue 22). Each verifier commits the position it has applied as its
 * own group's offsets (`kafkaRevocations({ receipts })`): nothing while idle, the first event at
 * once, at most one OffsetCommit per interval while events flow. Two arms of the same fleet, one
 * after the other on a 1-node cluster of our own with JMX (B10's windows): receipts off, then on
 * at the default interval. Per arm an idle window and windows with revocations flowing at two
 * rates; in the "on" arm, the receipt latency an operator sees (latency.ts).
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, stopCluster } from '@revocation-fabric/kafka-local';
import { connectOperator } from '@revocation-fabric/operator';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { createRevocationTopic, recordProducer } from '../lib/kafka.js';
import type { RecordProducer } from '../lib/kafka.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import { RevocationStream } from '../fleet/revocation-stream.js';
import { measureWindow } from '../fleet/window.js';
import type { FleetBroker, FleetWindow, FleetWorker } from '../fleet/window.js';
import { fleetCostPerRequest } from './fleet-cost.js';
import type { FleetCostPerRequest } from './fleet-cost.js';
import { extrapolate } from './extrapolation.js';
import type { ReceiptsExtrapolation } from './extrapolation.js';
import { measureReceipts } from './latency.js';
import type { ReceiptWay } from './latency.js';
import type { ReceiptsWorkerReply, ReceiptsWorkerRequest } from './receipts-worker.js';

/** The verifier's default receipt interval (packages/verifier/src/kafka/options.ts), ms. */
export const DEFAULT_RECEIPT_INTERVAL_MS = 1_000;

type ReceiptsWorker = WorkerProcess<ReceiptsWorkerRequest, ReceiptsWorkerReply>;

/** One measured window of one arm. */
export interface B13Window {
  readonly window: FleetWindow;
  /** Load average (1, 5, 15 min) of the machine when the window opened. */
  readonly loadAverage: readonly number[];
  /** OffsetCommit requests the broker handled per second (JMX). */
  readonly offsetCommitsPerS: number;
  /** The same per verifier. */
  readonly offsetCommitsPerSPerVerifier: number;
  /** Receipts the feeds counted (FeedStats.receipts) per second, all verifiers. */
  readonly receiptsPerS: number;
}

/** A window with revocations flowing. */
export interface B13Flowing extends B13Window {
  readonly offeredEventsPerS: number;
  readonly eventsPerS: number;
  /** OffsetCommits per verifier per event (1 = a commit per record). */
  readonly commitsPerEventPerVerifier: number;
  /** Publish → the last verifier's onRevoked, ms. */
  readonly propagationFarthestMs: Distribution;
  readonly missing: number;
}

/**
 * What an arm runs: receipts off; on at the default interval; on at the least interval the
 * option takes (10 ms), so that commits are many enough to show on the broker's CPU — the cost
 * of one commit, which tens of commits per second on a shared 2-core box cannot resolve.
 */
interface ArmSpec {
  readonly intervalMs: number | null;
  readonly idle: boolean;
  readonly rates: readonly number[];
  readonly latency: boolean;
}

const ARMS: readonly ArmSpec[] = [
  { intervalMs: null, idle: true, rates: [10, 100], latency: false },
  { intervalMs: DEFAULT_RECEIPT_INTERVAL_MS, idle: true, rates: [10, 100], latency: true },
  { intervalMs: 10, idle: false, rates: [100], latency: false },
];

/** One arm: the same fleet with receipts off or on. */
export interface B13Arm {
  readonly receipts: 'off' | 'on';
  /** Least time between two commits, ms; null when off. */
  readonly intervalMs: number | null;
  readonly readyMs: number;
  /** Receipts the feeds gave from start until ready (the commit a new group gets in full). */
  readonly receiptsAtStart: number;
  /** Null for the arm that only measures the cost of a commit. */
  readonly idle: B13Window | null;
  readonly flowing: readonly B13Flowing[];
  /** Receipt latency (the "on" arm only: with receipts off no wait ever completes). */
  readonly latency: readonly ReceiptWay[];
  /** Receipts (FeedStats) per verifier per event during the latency part: 1 = each committed. */
  readonly receiptsPerLoneEventPerVerifier: number | null;
}

export interface B13Result {
  readonly method: string;
  readonly verifiers: number;
  readonly processes: number;
  readonly settleMs: number;
  readonly idleWindowMs: number;
  readonly flowingWindowMs: number;
  readonly rates: readonly number[];
  readonly latencyEvents: number;
  readonly pollingEvents: number;
  readonly quietMs: number;
  readonly arms: readonly B13Arm[];
  /** Load average when the benchmark started and ended. */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** B10's broker core-seconds per request, from its newest committed result, if any. */
  readonly fleetCost: FleetCostPerRequest | null;
  readonly extrapolation: ReceiptsExtrapolation | null;
}

const VERIFIERS = 20;
const PROCESSES = 1;
const APPLY_WAIT_MS = 15_000;

/** `BENCH_RECEIPTS_PORT` moves the cluster (and its JMX port); apart from B10's 28192. */
function clusterPorts(): { basePort: number; jmxBasePort: number } {
  const value = Number(process.env['BENCH_RECEIPTS_PORT'] ?? 28_492);
  if (!Number.isInteger(value) || value < 1024 || value > 65_000) {
    throw new TypeError(`BENCH_RECEIPTS_PORT must be a port number, got ${String(value)}`);
  }
  return { basePort: value, jmxBasePort: value + 100 };
}

const load = (): number[] => loadavg().map((value) => Math.round(value * 100) / 100);

async function receiptsCount(workers: readonly ReceiptsWorker[]): Promise<number> {
  const counts = await Promise.all(
    workers.map(async (worker) => {
      worker.send({ type: 'receipts' });
      return (await worker.next('receipts', 10_000)).commits;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

async function startArm(
  ctx: BenchContext,
  brokers: readonly string[],
  topic: string,
  prefix: string,
  receipts: false | { readonly intervalMs: number },
): Promise<{ workers: ReceiptsWorker[]; readyMs: number }> {
  const workers = Array.from({ length: PROCESSES }, (_, i) =>
    WorkerProcess.start<ReceiptsWorkerRequest, ReceiptsWorkerReply>(
      'receipts/receipts-worker',
      `b13-${i}`,
    ),
  );
  const started = performance.now();
  try {
    await Promise.all(
      workers.map(async (worker, i) => {
        const share = Math.ceil(VERIFIERS / PROCESSES);
        const verifiers = Math.min(share, VERIFIERS - i * share);
        worker.send({
          type: 'init',
          clientIdPrefix: `${prefix}-p${i}`,
          verifiers,
          brokers,
          topic,
          receipts,
        });
        await worker.next('ready', 5 * 60_000);
      }),
    );
  } catch (error) {
    await stopAll(workers, 30_000);
    throw error;
  }
  const readyMs = Math.round(performance.now() - started);
  ctx.log(
    `B13: ${VERIFIERS} verifiers, receipts ${receipts === false ? 'off' : `on (${receipts.intervalMs} ms)`}, ready in ${readyMs} ms`,
  );
  return { workers, readyMs };
}

interface ArmSetting {
  readonly brokers: readonly FleetBroker[];
  readonly bootstrap: readonly string[];
  readonly topic: string;
  readonly producer: RecordProducer;
  readonly timing: Timing;
}

interface Timing {
  readonly warmupMs: number;
  readonly settleMs: number;
  readonly idleMs: number;
  readonly flowingMs: number;
  readonly latencyEvents: number;
  readonly pollingEvents: number;
}

/** A window, with the receipts counted around it. */
async function window(
  setting: ArmSetting,
  workers: readonly ReceiptsWorker[],
  prefix: string,
  ms: number,
): Promise<B13Window> {
  const loadAverage = load();
  const receiptsBefore = await receiptsCount(workers);
  const started = performance.now();
  const measured = await measureWindow(
    setting.brokers,
    setting.bootstrap,
    workers as readonly FleetWorker[],
    prefix,
    ms,
  );
  const receipts = (await receiptsCount(workers)) - receiptsBefore;
  const offsetCommitsPerS = measured.requestsPerS['OffsetCommit'] ?? 0;
  return {
    window: measured,
    loadAverage,
    offsetCommitsPerS,
    offsetCommitsPerSPerVerifier: offsetCommitsPerS / VERIFIERS,
    receiptsPerS: receipts / ((performance.now() - started) / 1000),
  };
}

async function measureArm(ctx: BenchContext, setting: ArmSetting, spec: ArmSpec): Promise<B13Arm> {
  const { intervalMs } = spec;
  const receipts = intervalMs === null ? 'off' : 'on';
  const name = intervalMs === null ? 'off' : `on (${intervalMs} ms)`;
  const prefix = `bench-b13-${receipts}${intervalMs ?? ''}-${Date.now().toString(36)}`;
  const { workers, readyMs } = await startArm(
    ctx,
    setting.bootstrap,
    setting.topic,
    prefix,
    // Even the default interval is named, so the result says which.
    intervalMs === null ? false : { intervalMs },
  );
  try {
    const receiptsAtStart = await receiptsCount(workers);
    await sleep(setting.timing.settleMs);
    const idle = spec.idle ? await window(setting, workers, prefix, setting.timing.idleMs) : null;
    if (idle !== null) {
      ctx.log(
        `B13 ${name}: idle ${idle.window.brokerCores.toFixed(3)} broker cores, ${idle.window.verifierCores.toFixed(3)} verifier cores, OffsetCommit ${idle.offsetCommitsPerS.toFixed(2)}/s, requests ${JSON.stringify(idle.window.requestsPerS)}`,
      );
    }
    const flowing: B13Flowing[] = [];
    for (const rate of spec.rates) {
      const stream = new RevocationStream(
        setting.producer,
        setting.topic,
        workers as readonly FleetWorker[],
      );
      stream.start(rate);
      await sleep(2_000);
      const measured = await window(setting, workers, prefix, setting.timing.flowingMs);
      const published = await stream.stop(APPLY_WAIT_MS, measured.window);
      flowing.push({
        ...measured,
        offeredEventsPerS: rate,
        eventsPerS: published.eventsPerS,
        commitsPerEventPerVerifier: measured.offsetCommitsPerSPerVerifier / published.eventsPerS,
        propagationFarthestMs: summarize(published.farthestMs, 1, 1),
        missing: published.missing,
      });
      ctx.log(
        `B13 ${name} at ${published.eventsPerS.toFixed(1)} ev/s: ${measured.window.brokerCores.toFixed(3)} broker cores, ${measured.window.verifierCores.toFixed(3)} verifier cores, OffsetCommit ${measured.offsetCommitsPerSPerVerifier.toFixed(2)}/s per verifier, missing ${published.missing}`,
      );
      await sleep(2_000);
    }
    const latency: ReceiptWay[] = [];
    let receiptsPerLoneEventPerVerifier: number | null = null;
    if (spec.latency) {
      const before = await receiptsCount(workers);
      const operator = connectOperator({
        brokers: [...setting.bootstrap],
        clientId: 'bench-b13-operator',
      });
      const locator = connectOperator({
        brokers: [...setting.bootstrap],
        clientId: 'bench-b13-locator',
      });
      try {
        const run = {
          operator,
          locator,
          producer: setting.producer,
          topic: setting.topic,
          workers: workers as readonly FleetWorker[],
          verifiers: VERIFIERS,
          quietMs: 1_500,
          timeoutMs: 10_000,
        };
        for (const [way, events] of [
          ['waitForApplied', setting.timing.latencyEvents],
          ['readFleet polling', setting.timing.pollingEvents],
        ] as const) {
          const measured = await measureReceipts(run, way, events);
          latency.push(measured);
          ctx.log(
            `B13 ${way}: publish → receipt p50 ${measured.publishToReceiptMs.p50} ms p95 ${measured.publishToReceiptMs.p95} max ${measured.publishToReceiptMs.max} (apply p50 ${measured.publishToLastApplyMs.p50}), complete ${measured.complete}/${events}, per event ${JSON.stringify(measured.callsPerEvent)}`,
          );
        }
        const events = latency.reduce((sum, way) => sum + way.events, 0);
        receiptsPerLoneEventPerVerifier =
          ((await receiptsCount(workers)) - before) / events / VERIFIERS;
      } finally {
        await Promise.allSettled([operator.close(), locator.close()]);
      }
    }
    return {
      receipts,
      intervalMs,
      readyMs,
      receiptsAtStart,
      idle,
      flowing,
      latency,
      receiptsPerLoneEventPerVerifier,
    };
  } finally {
    await stopAll(workers, 30_000);
  }
}

export async function runB13(ctx: BenchContext): Promise<B13Result> {
  const timing: Timing = ctx.quick
    ? {
        warmupMs: 10_000,
        settleMs: 3_000,
        idleMs: 10_000,
        flowingMs: 8_000,
        latencyEvents: 10,
        pollingEvents: 5,
      }
    : {
        warmupMs: 15_000,
        settleMs: 5_000,
        idleMs: 25_000,
        flowingMs: 15_000,
        latencyEvents: 25,
        pollingEvents: 8,
      };
  const start = load();
  const name = 'bench-receipts-1n';
  const ports = clusterPorts();
  ctx.log(`B13: starting cluster ${name} (1 node, port ${ports.basePort}, JMX)`);
  const arms: B13Arm[] = [];
  try {
    const cluster = await startCluster({
      name,
      nodes: 1,
      ...ports,
      fresh: true,
      startTimeoutMs: 240_000,
      log: (line) => ctx.log(`kafka-local: ${line}`),
    });
    const brokers: FleetBroker[] = cluster.nodes.map((node) => {
      if (node.pid === undefined || node.jmxPort === undefined) {
        throw new Error(`node ${node.id} of ${name} has no pid or JMX port`);
      }
      return { pid: node.pid, jmxPort: node.jmxPort };
    });
    const topic = uniqueTopic('bench-receipts');
    await createRevocationTopic(cluster.brokers, topic, 1);
    await sleep(timing.warmupMs);
    const producer = recordProducer(cluster.brokers, 'bench-b13-producer');
    await producer.connect();
    try {
      const setting = { brokers, bootstrap: cluster.brokers, topic, producer, timing };
      // Off first: the "on" arms then run on a broker that has warmed up longer, which can only
      // flatter "on" (by a little: the cluster had its warm-up).
      for (const spec of ARMS) arms.push(await measureArm(ctx, setting, spec));
    } finally {
      await producer.disconnect();
    }
  } finally {
    await stopCluster({ name });
  }
  const fleetCost = fleetCostPerRequest();
  return {
    method: `A 1-node cluster of our own (fresh, JMX on loopback; topic of 6 partitions), ${timing.warmupMs / 1000} s of warm-up. Three arms, one after the other: ${VERIFIERS} verifiers in ${PROCESSES} worker process${PROCESSES === 1 ? '' : 'es'}, each createVerifier + kafkaRevocations with its own client id and group, receipts off, then on (intervalMs ${DEFAULT_RECEIPT_INTERVAL_MS}, the default), then on at intervalMs 10 (the least the option takes) at 100 revocations/s only: commits enough to resolve the broker CPU of one commit, (its cores − off's at 100/s) ÷ its OffsetCommit/s. Per arm (the first two), once ready and after ${timing.settleMs / 1000} s: an idle window of ${timing.idleMs / 1000} s, then windows of ${timing.flowingMs / 1000} s with session revocations published open-loop at 10 and 100 per second (B10's stream and windows: broker and verifier CPU from /proc, requests by API from JMX read just before and after each window). Receipts also counted in the verifiers (FeedStats.receipts). In the "on" arm, ${timing.latencyEvents} revocations one at a time, each ${1.5} s after the previous receipt (longer than the interval: each is committed at once), the event located by the partition whose high-water mark moved, then waitForApplied(eventTarget(partition, offset)) by the operator package (default poll 50 ms); then ${timing.pollingEvents} more with readFleet + receiptOf every 50 ms instead. The operator's calls counted client side.`,
    verifiers: VERIFIERS,
    processes: PROCESSES,
    settleMs: timing.settleMs,
    idleWindowMs: timing.idleMs,
    flowingWindowMs: timing.flowingMs,
    rates: [10, 100],
    latencyEvents: timing.latencyEvents,
    pollingEvents: timing.pollingEvents,
    quietMs: 1_500,
    arms,
    loadAverage: { start, end: load() },
    fleetCost,
    extrapolation: extrapolate(arms, fleetCost),
  };
}
