/**
 * One measured window of B10: the brokers' CPU (/proc) and metrics (JMX), the fleet's CPU and
 * the consumer groups, over the same stretch of time.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { jmxWindow, readBrokerJmx } from '../lib/broker-jmx.js';
import type { BrokerJmxWindow } from '../lib/broker-jmx.js';
import type { WorkerProcess } from '../lib/child.js';
import { wallClockMs } from '../lib/clock.js';
import { listGroupIds } from '../lib/kafka.js';
import { procCpuMs, readWorker } from '../idle/proc-cpu.js';
import type { FleetWorkerReply, FleetWorkerRequest } from './fleet-worker.js';

export type FleetWorker = WorkerProcess<FleetWorkerRequest, FleetWorkerReply>;

/** A broker of the cluster under measure. */
export interface FleetBroker {
  readonly pid: number;
  readonly jmxPort: number;
}

/** What one window measured. */
export interface FleetWindow {
  /** Wall time between the /proc readings, s. */
  readonly seconds: number;
  /** The /proc window on the shared wall clock, ms (JMX readings fall outside it). */
  readonly fromWallMs: number;
  readonly toWallMs: number;
  /** Each broker JVM's utime+stime per second of wall time, cores, in node order. */
  readonly brokerCoresByNode: readonly number[];
  readonly brokerCores: number;
  /** The fleet's worker processes' utime+stime per second, cores (all verifiers together). */
  readonly verifierCores: number;
  /** Requests the brokers handled per second by API, summed over brokers (JMX). */
  readonly requestsPerS: Readonly<Record<string, number>>;
  /** Requests per second over every API (FetchConsumer/FetchFollower are subsets of Fetch). */
  readonly totalRequestsPerS: number;
  /** Requests the fleet wrote per second (socket writes counted in the workers). */
  readonly clientRequestsPerS: number;
  /** Per broker, at the window's end (JMX). */
  readonly connectionsByNode: readonly number[];
  readonly incrementalFetchSessionsByNode: readonly number[];
  readonly fetchSessionEvictionsPerS: number;
  /** Bytes the brokers' client listeners sent per second (every response), summed. */
  readonly networkBytesOutPerS: number;
  /** Record bytes fetched per second, summed (BrokerTopicMetrics BytesOutPerSec). */
  readonly topicBytesOutPerS: number;
  /** Consumer groups of this fleet (by client id prefix), and of the whole cluster. */
  readonly groups: number;
  readonly groupsInCluster: number;
}

/** Metric names that count a subset of another (each fetch also counts as `Fetch`). */
const SUBSET_APIS = new Set(['FetchConsumer', 'FetchFollower']);

/**
 * Measures `windowMs`: JMX is read just before and just after (the tool's JVM stays outside the
 * /proc window), rates from JMX use the interval between its own readings.
 */
export async function measureWindow(
  brokers: readonly FleetBroker[],
  bootstrap: readonly string[],
  workers: readonly FleetWorker[],
  groupPrefix: string,
  windowMs: number,
): Promise<FleetWindow> {
  const jmxBefore = await Promise.all(brokers.map((b) => readBrokerJmx(b.jmxPort)));
  const t0 = performance.now();
  const fromWallMs = wallClockMs();
  const brokerBefore = brokers.map((b) => procCpuMs(b.pid));
  const workersBefore = await Promise.all(workers.map((w) => readWorker(w)));
  await sleep(windowMs);
  const workersAfter = await Promise.all(workers.map((w) => readWorker(w)));
  const brokerAfter = brokers.map((b) => procCpuMs(b.pid));
  const seconds = (performance.now() - t0) / 1000;
  const toWallMs = wallClockMs();
  const jmxAfter = await Promise.all(brokers.map((b) => readBrokerJmx(b.jmxPort)));
  const windows: BrokerJmxWindow[] = brokers.map((_, i) => {
    const a = jmxBefore[i];
    const b = jmxAfter[i];
    if (a === undefined || b === undefined) throw new Error(`no JMX reading of broker ${i + 1}`);
    return jmxWindow(a, b);
  });
  const requestsPerS: Record<string, number> = {};
  for (const w of windows) {
    for (const [api, rate] of Object.entries(w.requestsPerS)) {
      requestsPerS[api] = (requestsPerS[api] ?? 0) + rate;
    }
  }
  const brokerCoresByNode = brokers.map(
    (_, i) => ((brokerAfter[i] ?? 0) - (brokerBefore[i] ?? 0)) / 1000 / seconds,
  );
  let verifierMs = 0;
  let clientRequests = 0;
  workers.forEach((_, i) => {
    const a = workersBefore[i];
    const b = workersAfter[i];
    if (a === undefined || b === undefined) return;
    verifierMs += b.procMs - a.procMs;
    clientRequests += b.sample.socketRequests - a.sample.socketRequests;
  });
  const groupIds = await listGroupIds(bootstrap);
  const sum = (values: readonly number[]) => values.reduce((x, y) => x + y, 0);
  return {
    seconds,
    fromWallMs,
    toWallMs,
    brokerCoresByNode,
    brokerCores: sum(brokerCoresByNode),
    verifierCores: verifierMs / 1000 / seconds,
    requestsPerS,
    totalRequestsPerS: sum(
      Object.entries(requestsPerS)
        .filter(([api]) => !SUBSET_APIS.has(api))
        .map(([, rate]) => rate),
    ),
    clientRequestsPerS: clientRequests / seconds,
    connectionsByNode: windows.map((w) => w.connections),
    incrementalFetchSessionsByNode: windows.map((w) => w.incrementalFetchSessions),
    fetchSessionEvictionsPerS: sum(windows.map((w) => w.fetchSessionEvictionsPerS)),
    networkBytesOutPerS: sum(windows.map((w) => w.networkBytesOutPerS)),
    topicBytesOutPerS: sum(windows.map((w) => w.topicBytesOutPerS)),
    groups: groupIds.filter((id) => id.startsWith(groupPrefix)).length,
    groupsInCluster: groupIds.length,
  };
}
