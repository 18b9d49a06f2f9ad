/**
 * B7 — idle cost. Idle verifier processes beside a bare idle node process and a bare kafkajs
 * consumer with kafkajs' defaults, all reading one revocation topic: after a warm-up, each
 * one's CPU (from /proc, ms per second of wall time) and the requests it sends to the brokers
 * over a window; then the propagation of single rules (producer ack → applied in every
 * verifier) and the CPU a verifier spends per 1,000 applied events of a burst.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { createRevocationTopic, deleteTopics } from '../lib/kafka.js';
import type { Distribution } from '../lib/stats.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import type { IdleKind, IdleWorkerReply, IdleWorkerRequest } from './idle-worker.js';
import { installPackedPackages } from './installed-packages.js';
import { readWorker } from './proc-cpu.js';
import type { WorkerReading } from './proc-cpu.js';
import { burstCost, propagation } from './events.js';

/** One idle process over the window. */
export interface B7Row {
  readonly kind: IdleKind;
  readonly name: string;
  /** /proc utime+stime per second of wall time, ms/s. */
  readonly cpuMsPerS: number;
  /** process.cpuUsage() per second, ms/s (finer than /proc's 10 ms ticks). */
  readonly cpuUsageMsPerS: number;
  /** Socket writes to the brokers per second (one per Kafka request). */
  readonly requestsPerS: number;
  /** kafkajs REQUEST events per second (bare consumer: the cross-check of the count above). */
  readonly kafkajsRequestsPerS: number | null;
}

export interface B7Result {
  readonly method: string;
  readonly verifiers: number;
  readonly brokers: readonly string[];
  readonly warmupMs: number;
  readonly windowMs: number;
  readonly rows: readonly B7Row[];
  /** Mean over the verifier rows. */
  readonly verifier: { readonly cpuMsPerS: number; readonly requestsPerS: number };
  /**
   * The same verifier installed with npm from the packed tarballs, outside the workspace (as an
   * adopter runs it); null when packing or installing failed (the reason is logged).
   */
  readonly installed: {
    readonly cpuMsPerS: number;
    readonly requestsPerS: number;
    readonly verifierUrl: string;
  } | null;
  /** Producer ack (acks=all) → applied, every verifier, ms. */
  readonly propagationMs: Distribution;
  readonly burst: {
    readonly events: number;
    /** CPU per verifier per 1,000 applied events, idle rate subtracted, ms (mean). */
    readonly cpuMsPer1000: number;
    readonly wallMs: number;
  };
  /** The machine while the window ran: share of all cores busy, and the 1-min load. */
  readonly machine: { readonly cpuBusy: number; readonly loadavg1: number; readonly cores: number };
}

const METHOD =
  "Each process is its own child. CPU: utime+stime from /proc/<pid>/stat (10 ms ticks) and the process's own process.cpuUsage(), per second of wall time over the window, after the warm-up. Requests: the worker counts its socket writes to the brokers' ports (kafkajs writes each request with one write); the bare consumer also counts kafkajs consumer.events.REQUEST as a cross-check. Propagation: session rules published one at a time 150–450 ms apart, from the producer ack (acks=all) to the verifier's onRevoked, on the shared wall clock. Burst: token rules in sends of 1,000, CPU (cpuUsage) from before the first send until the verifier applied them all, minus its idle rate.";

export type IdleWorker = WorkerProcess<IdleWorkerRequest, IdleWorkerReply>;

type Reading = WorkerReading<IdleWorkerReply>;

/** Reads a worker's CPU (/proc and its own) and request count. */
export function read(worker: IdleWorker): Promise<Reading> {
  return readWorker(worker);
}

function row(kind: IdleKind, name: string, a: Reading, b: Reading): B7Row {
  const s = (b.at - a.at) / 1000;
  const kafkajs =
    a.sample.kafkajsRequests === undefined || b.sample.kafkajsRequests === undefined
      ? null
      : (b.sample.kafkajsRequests - a.sample.kafkajsRequests) / s;
  return {
    kind,
    name,
    cpuMsPerS: (b.procMs - a.procMs) / s,
    cpuUsageMsPerS: (b.sample.cpuMs - a.sample.cpuMs) / s,
    requestsPerS: (b.sample.socketRequests - a.sample.socketRequests) / s,
    kafkajsRequestsPerS: kafkajs,
  };
}

const mean = (values: readonly number[]): number =>
  values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export async function runB7(ctx: BenchContext): Promise<B7Result> {
  const verifiers = ctx.quick ? 1 : 3;
  // V8 tiers up and collects startup garbage for ~20–30 s after start: 7 ms/s at 20 s, 1–2 after.
  const warmupMs = ctx.quick ? 10_000 : 20_000;
  const windowMs = ctx.quick ? 10_000 : 30_000;
  const topic = uniqueTopic('bench-idle');
  await createRevocationTopic(ctx.brokers, topic);
  ctx.defer(() => deleteTopics(ctx.brokers, [topic]));
  const installed = await installPackedPackages().catch((error: unknown) => {
    ctx.log(`B7: no installed arm: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  });
  if (installed !== undefined) ctx.defer(() => installed.remove());
  const kinds: [IdleKind, string][] = [
    ...Array.from({ length: verifiers }, (_, i): [IdleKind, string] => ['verifier', `v${i}`]),
    ...(installed === undefined ? [] : [['installed', 'installed'] as [IdleKind, string]]),
    ['kafkajs', 'kafkajs'],
    ['node', 'node'],
  ];
  const hooks = fileURLToPath(new URL('./installed-hooks.js', import.meta.url));
  const workers = kinds.map(([kind, name]) =>
    WorkerProcess.start<IdleWorkerRequest, IdleWorkerReply>(
      'idle/idle-worker',
      `b7-${name}`,
      kind === 'installed' && installed !== undefined
        ? { execArgv: ['--import', hooks], env: { BENCH_INSTALLED_DIR: installed.dir } }
        : {},
    ),
  );
  let installedVerifierUrl = '';
  try {
    await Promise.all(
      workers.map(async (worker, i) => {
        const [kind, name] = kinds[i] ?? ['node', 'node'];
        worker.send({ type: 'init', kind, name, brokers: ctx.brokers, topic });
        const { verifierUrl } = await worker.next('ready', 120_000);
        if (kind !== 'installed' || installed === undefined) return;
        // The arm measures nothing unless the worker really runs the npm-installed copy.
        if (!verifierUrl.startsWith(pathToFileURL(installed.dir).href)) {
          throw new Error(`the installed arm resolved the verifier from ${verifierUrl}`);
        }
        installedVerifierUrl = verifierUrl;
      }),
    );
    ctx.log(`B7: ${workers.length} idle processes ready; warm-up ${warmupMs} ms`);
    await sleep(warmupMs);
    const machineBefore = cpuTimes();
    const before = await Promise.all(workers.map(read));
    await sleep(windowMs);
    const after = await Promise.all(workers.map(read));
    const machineAfter = cpuTimes();
    const rows = kinds.map(([kind, name], i) => {
      const a = before[i];
      const b = after[i];
      if (a === undefined || b === undefined) throw new Error(`no reading of ${name}`);
      return row(kind, name, a, b);
    });
    for (const r of rows) {
      ctx.log(
        `B7 ${r.name}: ${r.cpuMsPerS.toFixed(2)} ms/s CPU (/proc; cpuUsage ${r.cpuUsageMsPerS.toFixed(2)}), ${r.requestsPerS.toFixed(2)} requests/s`,
      );
    }
    const verifierRows = rows.filter((r) => r.kind === 'verifier');
    const verifierWorkers = workers.filter((_, i) => kinds[i]?.[0] === 'verifier');
    const propagationMs = await propagation(ctx, verifierWorkers, topic, ctx.quick ? 20 : 50);
    const burst = await burstCost(
      ctx,
      verifierWorkers,
      verifierRows,
      topic,
      ctx.quick ? 1_000 : 5_000,
    );
    return {
      method: METHOD,
      verifiers,
      brokers: ctx.brokers,
      warmupMs,
      windowMs,
      rows,
      verifier: {
        cpuMsPerS: mean(verifierRows.map((r) => r.cpuMsPerS)),
        requestsPerS: mean(verifierRows.map((r) => r.requestsPerS)),
      },
      installed: (() => {
        const r = rows.find((candidate) => candidate.kind === 'installed');
        return r === undefined
          ? null
          : {
              cpuMsPerS: r.cpuMsPerS,
              requestsPerS: r.requestsPerS,
              verifierUrl: installedVerifierUrl,
            };
      })(),
      propagationMs,
      burst,
      machine: {
        cpuBusy: busyShare(machineBefore, machineAfter),
        loadavg1: loadavg()[0] ?? NaN,
        cores: cpus().length,
      },
    };
  } finally {
    await stopAll(workers);
  }
}
