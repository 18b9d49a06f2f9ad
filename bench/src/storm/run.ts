/**
 * B11 — deploy storm. N verifiers, each in its own process as pods are, cold-start at one
 * signal against a topic of live rules: each one's time from the signal to `ready()`, the last
 * one's, and the broker's CPU during the storm. Two arms: a full replay (the verifier today)
 * and "with snapshot" (`kafkaRevocations({ snapshot: { directory } })`), where the feed loads
 * the snapshot a previous verifier left in a shared directory on close and replays only the
 * tail. A primer verifier is started and closed first; should it leave no file, the arm is
 * recorded as not run rather than timed as a replay under the snapshot's name.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCluster, stopCluster } from '@revocation-fabric/kafka-local';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import { sizesFromEnvironment } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { wallClockMs } from '../lib/clock.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import { fillRuleTopic } from '../lib/kafka.js';
import { procCpuMs } from '../idle/proc-cpu.js';
import type { StormWorkerReply, StormWorkerRequest } from './storm-worker.js';

/** How the storm's verifiers start. */
export type StormArm = 'replay' | 'snapshot';

/** One storm: N verifiers at one signal. */
export interface B11Storm {
  readonly arm: StormArm;
  readonly rules: number;
  readonly verifiers: number;
  /** Signal → ready(), each verifier, ms, ascending. */
  readonly readyMs: readonly number[];
  /** Signal → the last ready(), ms. */
  readonly lastReadyMs: number;
  /** Rules each verifier held when ready (min and max: a snapshot must not lose any). */
  readonly rulesHeld: { readonly min: number; readonly max: number };
  /** The broker JVM's utime+stime from the signal to the last ready, ms, and as cores. */
  readonly brokerCpuMs: number;
  readonly brokerCores: number;
  /** Share of all cores busy during the storm (every process on the machine), 0..1. */
  readonly cpuBusy: number;
}

/** Whether an arm ran, and why not. */
export interface B11Arm {
  readonly arm: StormArm;
  readonly rules: number;
  readonly ran: boolean;
  readonly note: string;
  /** The primer's snapshot files and their total size (snapshot arm). */
  readonly snapshotFiles?: readonly string[];
}

export interface B11Result {
  readonly method: string;
  readonly sizes: readonly number[];
  readonly ruleCounts: readonly number[];
  /** Topic fill time per rule count, ms (context). */
  readonly produceMs: Readonly<Record<string, number>>;
  readonly arms: readonly B11Arm[];
  readonly storms: readonly B11Storm[];
}

type StormWorker = WorkerProcess<StormWorkerRequest, StormWorkerReply>;

const READY_TIMEOUT_MS = 10 * 60_000;

/** Base port of B11's cluster, below the ephemeral range as B10's; `BENCH_STORM_PORT` overrides. */
function stormPort(): number {
  const value = Number(process.env['BENCH_STORM_PORT'] ?? 28_232);
  if (!Number.isInteger(value) || value < 1024 || value > 65_000) {
    throw new TypeError(`BENCH_STORM_PORT must be a port number, got ${String(value)}`);
  }
  return value;
}

async function loadedWorkers(count: number, label: string): Promise<StormWorker[]> {
  const workers = Array.from({ length: count }, (_, i) =>
    WorkerProcess.start<StormWorkerRequest, StormWorkerReply>(
      'storm/storm-worker',
      `b11-${label}-${i}`,
      // A 1M-rule blocklist outgrows V8's default old space in the replay.
      { execArgv: ['--max-old-space-size=4096'] },
    ),
  );
  try {
    await Promise.all(workers.map((worker) => worker.next('loaded', 120_000)));
  } catch (error) {
    await stopAll(workers);
    throw error;
  }
  return workers;
}

async function storm(
  brokers: readonly string[],
  brokerPid: number,
  topic: string,
  verifiers: number,
  snapshotDirectory: string | undefined,
): Promise<Omit<B11Storm, 'arm' | 'rules'>> {
  const workers = await loadedWorkers(verifiers, snapshotDirectory === undefined ? 'r' : 's');
  try {
    const machineBefore = cpuTimes();
    const brokerBefore = procCpuMs(brokerPid);
    const started = performance.now();
    const goAt = wallClockMs();
    workers.forEach((worker, i) =>
      worker.send({
        type: 'go',
        goAt,
        brokers,
        topic,
        clientId: `bench-b11-${i}`,
        ...(snapshotDirectory === undefined ? {} : { snapshotDirectory }),
      }),
    );
    const ready = await Promise.all(workers.map((w) => w.next('ready', READY_TIMEOUT_MS)));
    const wallMs = performance.now() - started;
    const brokerCpuMs = procCpuMs(brokerPid) - brokerBefore;
    const machineAfter = cpuTimes();
    const readyMs = ready.map((r) => Math.round(r.readyMs)).sort((a, b) => a - b);
    const held = ready.map((r) => r.rules);
    return {
      verifiers,
      readyMs,
      lastReadyMs: readyMs[readyMs.length - 1] ?? Number.NaN,
      rulesHeld: { min: Math.min(...held), max: Math.max(...held) },
      brokerCpuMs,
      brokerCores: brokerCpuMs / wallMs,
      cpuBusy: busyShare(machineBefore, machineAfter),
    };
  } finally {
    // Closing writes the snapshot arm's snapshot again: the next storm starts from a fresh one.
    await stopAll(workers, 60_000);
  }
}

/**
 * Starts one verifier on the topic with `directory` as its snapshot directory, waits until it is
 * ready and closes it; returns the files the directory then holds.
 */
async function primeSnapshot(
  brokers: readonly string[],
  topic: string,
  directory: string,
): Promise<string[]> {
  const [primer] = await loadedWorkers(1, 'primer');
  if (primer === undefined) throw new Error('no primer worker');
  try {
    primer.send({
      type: 'go',
      goAt: wallClockMs(),
      brokers,
      topic,
      clientId: 'bench-b11-primer',
      snapshotDirectory: directory,
    });
    await primer.next('ready', READY_TIMEOUT_MS);
  } finally {
    await primer.stop(60_000);
  }
  return readdir(directory);
}

/** Storm sizes of B11; `BENCH_STORM_SIZES=20` overrides. */
export function stormSizes(quick: boolean): readonly number[] {
  return sizesFromEnvironment('BENCH_STORM_SIZES', 200) ?? (quick ? [1, 5, 10] : [1, 5, 10, 20]);
}

export async function runB11(ctx: BenchContext): Promise<B11Result> {
  const sizes = stormSizes(ctx.quick);
  const ruleCounts = ctx.quick ? [100_000] : [100_000, 1_000_000];
  const name = 'bench-storm';
  const arms: B11Arm[] = [];
  const storms: B11Storm[] = [];
  const produceMs: Record<string, number> = {};
  ctx.log(`B11: starting cluster ${name} on port ${stormPort()}`);
  try {
    const cluster = await startCluster({
      name,
      basePort: stormPort(),
      fresh: true,
      startTimeoutMs: 240_000,
      log: (line) => ctx.log(`kafka-local: ${line}`),
    });
    const brokerPid = cluster.nodes[0]?.pid;
    if (brokerPid === undefined) throw new Error(`${name} has no broker pid`);
    for (const rules of ruleCounts) {
      const filled = await fillRuleTopic(
        cluster.brokers,
        uniqueTopic(`bench-storm-${rules}`),
        rules,
      );
      produceMs[String(rules)] = filled.loadMs;
      ctx.log(`B11: topic of ${rules} rules produced in ${filled.loadMs} ms`);
      for (const n of sizes) {
        const result = await storm(cluster.brokers, brokerPid, filled.topic, n, undefined);
        storms.push({ arm: 'replay', rules, ...result });
        ctx.log(
          `B11 replay ${rules} rules, ${n} verifiers: last ready ${result.lastReadyMs} ms, broker ${result.brokerCores.toFixed(2)} cores`,
        );
      }
      arms.push({ arm: 'replay', rules, ran: true, note: 'full replay from offset 0' });

      const directory = await mkdtemp(join(tmpdir(), 'bench-b11-snapshot-'));
      try {
        const files = await primeSnapshot(cluster.brokers, filled.topic, directory);
        if (files.length === 0) {
          const note =
            'not run: the primer verifier given kafkaRevocations({ snapshot: { directory } }) left no file on close';
          ctx.log(`B11 snapshot arm, ${rules} rules: ${note}`);
          arms.push({ arm: 'snapshot', rules, ran: false, note, snapshotFiles: [] });
          continue;
        }
        arms.push({
          arm: 'snapshot',
          rules,
          ran: true,
          note: 'a primer verifier became ready and closed, leaving the snapshot; the storm shares its directory',
          snapshotFiles: files,
        });
        for (const n of sizes) {
          const result = await storm(cluster.brokers, brokerPid, filled.topic, n, directory);
          storms.push({ arm: 'snapshot', rules, ...result });
          ctx.log(
            `B11 snapshot ${rules} rules, ${n} verifiers: last ready ${result.lastReadyMs} ms, broker ${result.brokerCores.toFixed(2)} cores`,
          );
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    }
  } finally {
    await stopCluster({ name });
  }
  return {
    method:
      "A 1-node cluster of our own holding a topic of live rules (the B4 mix). Per storm: N worker processes are forked and load their modules, then one signal carries a wall-clock instant; each creates createVerifier + kafkaRevocations (own group) and reports when ready() resolved, on the shared clock. Broker CPU: the JVM's utime+stime (/proc) from the signal to the last ready. Snapshot arm: a primer verifier with kafkaRevocations({ snapshot: { directory } }) becomes ready and closes (writing the snapshot); the N verifiers of the storm share that directory. Nothing is asserted: times are recorded.",
    sizes,
    ruleCounts,
    produceMs,
    arms,
    storms,
  };
}
