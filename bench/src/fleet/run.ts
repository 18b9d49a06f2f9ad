/**
 * B10 — the broker's cost as a curve. N idle verifiers (several per process, each with its own
 * feed: kafkajs clients, connections and consumer group, as a pod has) against a cluster of our
 * own with JMX open, 1 node then 3; per N, after a settle period, one idle window and one with
 * revocations flowing. Each window: the brokers' CPU from /proc, their request rates by API,
 * connections, incremental fetch sessions and evictions from JMX (Kafka's JmxTool), the consumer
 * groups (admin ListGroups) and the fleet's own CPU. Then straight-line fits against N, their
 * extrapolation to 10,000 verifiers on 3 nodes and the first limit reached (capacity.ts).
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, stopCluster } from '@revocation-fabric/kafka-local';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import { sizesFromEnvironment } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { createRevocationTopic, recordProducer } from '../lib/kafka.js';
import type { RecordProducer } from '../lib/kafka.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import {
  at,
  fitLine,
  fleetLimits,
  idleCoresLine,
  perEventCoresLine,
  resolved,
  withCostPerRequest,
} from './capacity.js';
import type { CpuBasis, FleetFits, FleetLimit } from './capacity.js';
import type { FleetWorkerReply, FleetWorkerRequest } from './fleet-worker.js';
import { RevocationStream } from './revocation-stream.js';
import { measureWindow } from './window.js';
import type { FleetBroker, FleetWindow, FleetWorker } from './window.js';

/** One fleet size on one cluster. */
export interface B10Point {
  readonly nodes: number;
  readonly verifiers: number;
  readonly processes: number;
  /**
   * Host relays the verifiers read through (one per process, each one Kafka consumer); 0 or
   * absent: every verifier its own consumer.
   */
  readonly relays?: number;
  /** From the workers' start until the slowest process had every verifier ready, ms. */
  readonly readyMs: number;
  readonly idle: FleetWindow;
  readonly flowing: FleetWindow;
  /** Revocations published per second during the flowing window (achieved). */
  readonly eventsPerS: number;
  /** (flowing − idle broker cores) ÷ events per second: broker core-seconds per revocation. */
  readonly brokerCoreSecondsPerEvent: number;
  /** Publish (before the producer's send) → the farthest verifier's onRevoked, ms, per event. */
  readonly propagationFarthestMs: Distribution;
  /** Publish → the nearest verifier's onRevoked, ms. */
  readonly propagationNearestMs: Distribution;
  /** The producer's ack → the farthest verifier's onRevoked, ms (the delivery side alone). */
  readonly propagationFromAckMs: Distribution;
  /** Publish → the producer's ack (acks=all), ms. */
  readonly produceMs: Distribution;
  /** Events some verifier never reported within the wait. */
  readonly missing: number;
}

export interface B10Cluster {
  readonly nodes: number;
  readonly brokers: readonly string[];
  readonly replicationFactor: number;
  readonly clusterStartMs: number;
  /** The broker JVM's open-files limit (/proc/<pid>/limits). */
  readonly openFilesLimit: number;
  readonly fits: FleetFits;
}

export interface B10Result {
  readonly method: string;
  /** The verifier's consumer settings the slope depends on. */
  readonly settings: typeof VERIFIER_CONSUMER_SETTINGS;
  readonly sizes: readonly number[];
  readonly verifiersPerProcess: number;
  readonly settleMs: number;
  readonly windowMs: number;
  readonly flowingWindowMs: number;
  /** Offered revocations per second in the flowing windows. */
  readonly offeredEventsPerS: number;
  readonly clusters: readonly B10Cluster[];
  readonly points: readonly B10Point[];
  readonly extrapolation: {
    readonly fleet: number;
    readonly nodes: number;
    readonly idleBrokerCores: number;
    readonly idleBasis: CpuBasis;
    readonly flowingBrokerCores: number;
    readonly perEventBasis: CpuBasis;
    /**
     * The same if every revocation cost every verifier one fetch (no coalescing: what a fleet
     * that keeps up does), at the marginal cost per request.
     */
    readonly flowingBrokerCoresIfEveryEventWakesEveryFetch: number;
    readonly idleVerifierCoresEach: number;
    /** Every candidate limit, the first reached first. */
    readonly limits: readonly FleetLimit[];
    /**
     * The same fleet behind host relays of `podsPerHost` verifiers each: the broker sees one
     * consumer per host, so the direct curve read at the number of hosts.
     */
    readonly throughRelays?: {
      readonly podsPerHost: number;
      readonly hosts: number;
      readonly idleBrokerCores: number;
      readonly flowingBrokerCores: number;
    };
  } | null;
}

/**
 * The verifier's consumer settings, as its sources set them: the fetch wait from
 * `packages/verifier/src/kafka/fetch-wait.ts` (default `maxStalenessMs` 30 s → 2.5 s), the rest
 * from `kafkajs-client.ts`, which leaves the heartbeat and session timeout at kafkajs' defaults.
 */
export const VERIFIER_CONSUMER_SETTINGS = {
  client: 'kafkajs 2.2.4',
  fetchWaitMs: 2_500,
  minBytes: 1,
  heartbeatIntervalMs: 3_000,
  sessionTimeoutMs: 30_000,
  consumerGroup: 'one per verifier (<clientId>-<uuid>), nothing committed, deleted on close',
  fetchSessions: 'none: kafkajs sends Fetch with session id 0, epoch −1',
  enforceRequestTimeout: false,
} as const;

const FLEET = 10_000;
const FETCH_SESSION_SLOTS = 1_000;
const LINK_BYTES_PER_S = 125_000_000;
const EVENTS_PER_S = 100;
const VERIFIERS_PER_PROCESS = 25;
const APPLY_WAIT_MS = 15_000;

/**
 * Base ports of the two clusters; `BENCH_FLEET_PORT` moves both (and their JMX ports). Below
 * Linux's ephemeral range (32768–60999): hundreds of verifiers' client sockets take ports from
 * it, and one of them holding a JMX port kept a node from starting.
 */
function fleetPorts(nodes: 1 | 3): { basePort: number; jmxBasePort: number } {
  const value = Number(process.env['BENCH_FLEET_PORT'] ?? 28_192);
  if (!Number.isInteger(value) || value < 1024 || value > 65_000) {
    throw new TypeError(`BENCH_FLEET_PORT must be a port number, got ${String(value)}`);
  }
  const basePort = nodes === 1 ? value : value + 10;
  return { basePort, jmxBasePort: basePort + 100 };
}

function openFilesLimit(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(/Max open files\s+(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN);
}

async function startFleet(
  ctx: BenchContext,
  brokers: readonly string[],
  topic: string,
  verifiers: number,
  prefix: string,
  relay: boolean,
): Promise<{ workers: FleetWorker[]; readyMs: number }> {
  const processes = Math.ceil(verifiers / VERIFIERS_PER_PROCESS);
  const workers = Array.from({ length: processes }, (_, i) =>
    WorkerProcess.start<FleetWorkerRequest, FleetWorkerReply>('fleet/fleet-worker', `b10-${i}`),
  );
  const started = performance.now();
  try {
    await Promise.all(
      workers.map(async (worker, i) => {
        const share = Math.min(VERIFIERS_PER_PROCESS, verifiers - i * VERIFIERS_PER_PROCESS);
        worker.send({
          type: 'init',
          clientIdPrefix: `${prefix}-p${i}`,
          verifiers: share,
          brokers,
          topic,
          relay,
        });
        await worker.next('ready', 10 * 60_000);
      }),
    );
  } catch (error) {
    await stopAll(workers, 60_000);
    throw error;
  }
  const readyMs = Math.round(performance.now() - started);
  ctx.log(
    `B10: ${verifiers} verifiers in ${processes} processes${relay ? ' behind a relay each' : ''} ready in ${readyMs} ms`,
  );
  return { workers, readyMs };
}

async function measureSize(
  ctx: BenchContext,
  nodes: number,
  cluster: { readonly bootstrap: readonly string[]; readonly brokers: readonly FleetBroker[] },
  topic: string,
  producer: RecordProducer,
  verifiers: number,
  timing: { readonly settleMs: number; readonly windowMs: number; readonly flowingMs: number },
  relay = false,
): Promise<B10Point> {
  const prefix = `bench-b10-${nodes}n-${verifiers}${relay ? 'r' : ''}-${Date.now().toString(36)}`;
  const { workers, readyMs } = await startFleet(
    ctx,
    cluster.bootstrap,
    topic,
    verifiers,
    prefix,
    relay,
  );
  try {
    await sleep(timing.settleMs);
    const idle = await measureWindow(
      cluster.brokers,
      cluster.bootstrap,
      workers,
      prefix,
      timing.windowMs,
    );
    const stream = new RevocationStream(producer, topic, workers);
    stream.start(EVENTS_PER_S);
    // Let the fleet's fetches settle into the flow before the window opens.
    await sleep(2_000);
    const flowing = await measureWindow(
      cluster.brokers,
      cluster.bootstrap,
      workers,
      prefix,
      timing.flowingMs,
    );
    const published = await stream.stop(APPLY_WAIT_MS, flowing);
    const eventsPerS = published.eventsPerS;
    const point: B10Point = {
      nodes,
      verifiers,
      processes: workers.length,
      relays: relay ? workers.length : 0,
      readyMs,
      idle,
      flowing,
      eventsPerS,
      brokerCoreSecondsPerEvent: (flowing.brokerCores - idle.brokerCores) / eventsPerS,
      propagationFarthestMs: summarize(published.farthestMs, 1, 1),
      propagationNearestMs: summarize(published.nearestMs, 1, 1),
      propagationFromAckMs: summarize(published.farthestFromAckMs, 1, 1),
      produceMs: summarize(published.produceMs, 1, 1),
      missing: published.missing,
    };
    ctx.log(
      `B10 ${nodes}n N=${verifiers}${relay ? ` via ${workers.length} relays` : ''}: idle brokers ${idle.brokerCores.toFixed(3)} cores (${idle.totalRequestsPerS.toFixed(0)} req/s, ${idle.connectionsByNode.join('/')} conns, ${idle.groups} groups, fetch sessions ${idle.incrementalFetchSessionsByNode.join('/')}), verifiers ${idle.verifierCores.toFixed(3)} cores; flowing ${flowing.brokerCores.toFixed(3)} cores at ${eventsPerS.toFixed(0)} ev/s, farthest p99 ${point.propagationFarthestMs.p99} ms (from ack ${point.propagationFromAckMs.p99}, produce p99 ${point.produceMs.p99}), missing ${point.missing}, groups ${flowing.groups}`,
    );
    return point;
  } finally {
    await stopAll(workers, 60_000);
  }
}

/** The fits of one cluster's points. */
export function fleetFits(nodes: number, points: readonly B10Point[]): FleetFits {
  // The curve of verifiers that are each their own consumer; relay points are read apart.
  const of = points.filter((p) => p.nodes === nodes && (p.relays ?? 0) === 0);
  const line = (pick: (p: B10Point) => number) => fitLine(of.map((p) => [p.verifiers, pick(p)]));
  const perRequest = fitLine(of.map((p) => [p.flowing.totalRequestsPerS, p.flowing.brokerCores]));
  return {
    nodes,
    idleBrokerCores: line((p) => p.idle.brokerCores),
    brokerCoreSecondsPerEvent: line((p) => p.brokerCoreSecondsPerEvent),
    idleVerifierCores: line((p) => p.idle.verifierCores),
    connectionsPerBroker: line((p) => Math.max(...p.idle.connectionsByNode)),
    fetchSessionsPerBroker: line((p) => Math.max(...p.idle.incrementalFetchSessionsByNode)),
    heartbeatsPerS: line((p) => p.idle.requestsPerS['Heartbeat'] ?? 0),
    idleRequestsPerS: line((p) => p.idle.totalRequestsPerS),
    networkBytesPerEvent: line(
      (p) => (p.flowing.networkBytesOutPerS - p.idle.networkBytesOutPerS) / p.eventsPerS,
    ),
    requestsPerEvent: line(
      (p) => (p.flowing.totalRequestsPerS - p.idle.totalRequestsPerS) / p.eventsPerS,
    ),
    brokerCoresAgainstRequests: perRequest,
    brokerCoreSecondsPerRequest: resolved(perRequest) ? perRequest.slope : Number.NaN,
    costPerRequestFrom: resolved(perRequest) ? nodes : null,
  };
}

/** Fleet sizes of B10's relay arm; `BENCH_RELAY_FLEET_SIZES` overrides. */
export function relayFleetSizes(quick: boolean): readonly number[] {
  return sizesFromEnvironment('BENCH_RELAY_FLEET_SIZES', 5_000) ?? (quick ? [50] : [100, 300]);
}

/** Fleet sizes of B10; `BENCH_FLEET_SIZES=1,10,400` overrides (a larger box, or a probe). */
export function fleetSizes(quick: boolean): readonly number[] {
  return (
    sizesFromEnvironment('BENCH_FLEET_SIZES', 5_000) ??
    (quick ? [1, 10, 50] : [1, 10, 50, 100, 200, 300])
  );
}

/**
 * The fits of every cluster (the 3-node one borrowing the 1-node cost per request when its own
 * does not resolve) and the extrapolation from the 3-node fits; recomputable from a result
 * file's points.
 */
export function summarizeFleet(
  clusters: readonly B10Cluster[],
  points: readonly B10Point[],
): Pick<B10Result, 'clusters' | 'extrapolation'> {
  const one = fleetFits(1, points);
  const fitted = clusters.map((c) => ({
    ...c,
    fits: withCostPerRequest(fleetFits(c.nodes, points), c.nodes === 3 ? one : undefined),
  }));
  const three = fitted.find((c) => c.nodes === 3);
  if (three === undefined) return { clusters: fitted, extrapolation: null };
  const idle = idleCoresLine(three.fits);
  const perEvent = perEventCoresLine(three.fits);
  return {
    clusters: fitted,
    extrapolation: {
      fleet: FLEET,
      nodes: 3,
      idleBrokerCores: at(idle.line, FLEET),
      idleBasis: idle.basis,
      flowingBrokerCores: at(idle.line, FLEET) + EVENTS_PER_S * at(perEvent.line, FLEET),
      perEventBasis: perEvent.basis,
      flowingBrokerCoresIfEveryEventWakesEveryFetch:
        at(idle.line, FLEET) + EVENTS_PER_S * FLEET * three.fits.brokerCoreSecondsPerRequest,
      idleVerifierCoresEach: three.fits.idleVerifierCores.slope,
      throughRelays: {
        podsPerHost: VERIFIERS_PER_PROCESS,
        hosts: Math.ceil(FLEET / VERIFIERS_PER_PROCESS),
        idleBrokerCores: at(idle.line, Math.ceil(FLEET / VERIFIERS_PER_PROCESS)),
        flowingBrokerCores:
          at(idle.line, Math.ceil(FLEET / VERIFIERS_PER_PROCESS)) +
          EVENTS_PER_S * at(perEvent.line, Math.ceil(FLEET / VERIFIERS_PER_PROCESS)),
      },
      limits: fleetLimits(three.fits, {
        fleet: FLEET,
        nodes: 3,
        eventsPerS: EVENTS_PER_S,
        brokerOpenFilesLimit: three.openFilesLimit,
        fetchSessionSlots: FETCH_SESSION_SLOTS,
        linkBytesPerS: LINK_BYTES_PER_S,
      }),
    },
  };
}

export async function runB10(ctx: BenchContext): Promise<B10Result> {
  const sizes = fleetSizes(ctx.quick);
  const timing = ctx.quick
    ? { clusterWarmupMs: 15_000, settleMs: 5_000, windowMs: 8_000, flowingMs: 8_000 }
    : { clusterWarmupMs: 60_000, settleMs: 20_000, windowMs: 25_000, flowingMs: 20_000 };
  const points: B10Point[] = [];
  const clusters: B10Cluster[] = [];
  for (const nodes of [1, 3] as const) {
    const name = `bench-fleet-${nodes}n`;
    const ports = fleetPorts(nodes);
    const started = performance.now();
    ctx.log(`B10: starting cluster ${name} (${nodes} nodes, port ${ports.basePort}, JMX)`);
    try {
      const cluster = await startCluster({
        name,
        nodes,
        ...ports,
        fresh: true,
        startTimeoutMs: 240_000,
        log: (line) => ctx.log(`kafka-local: ${line}`),
      });
      const clusterStartMs = Math.round(performance.now() - started);
      const brokers: FleetBroker[] = cluster.nodes.map((node) => {
        if (node.pid === undefined || node.jmxPort === undefined) {
          throw new Error(`node ${node.id} of ${name} has no pid or JMX port`);
        }
        return { pid: node.pid, jmxPort: node.jmxPort };
      });
      const topic = uniqueTopic('bench-fleet');
      await createRevocationTopic(cluster.brokers, topic, nodes);
      // A fresh cluster's JVMs compile and settle for a while: the first fleet size must not pay it.
      await sleep(timing.clusterWarmupMs);
      const producer = recordProducer(cluster.brokers, 'bench-b10-producer');
      await producer.connect();
      try {
        // Then the same fleets behind host relays (one per process of 25), on 3 nodes only.
        const runs = [
          ...sizes.map((verifiers) => ({ verifiers, relay: false })),
          ...(nodes === 3 ? relayFleetSizes(ctx.quick) : []).map((verifiers) => ({
            verifiers,
            relay: true,
          })),
        ];
        for (const { verifiers, relay } of runs) {
          const target = { bootstrap: cluster.brokers, brokers };
          points.push(
            await measureSize(ctx, nodes, target, topic, producer, verifiers, timing, relay),
          );
        }
      } finally {
        await producer.disconnect();
      }
      clusters.push({
        nodes,
        brokers: cluster.brokers,
        replicationFactor: nodes,
        clusterStartMs,
        openFilesLimit: openFilesLimit(brokers[0]?.pid ?? 0),
        fits: fleetFits(nodes, points),
      });
    } finally {
      await stopCluster({ name });
    }
  }
  const { clusters: fitted, extrapolation } = summarizeFleet(clusters, points);
  return {
    method: `Per cluster (1 node, then 3; our own, fresh, JMX on loopback; topic of 6 partitions, RF = nodes): N verifiers in processes of ${VERIFIERS_PER_PROCESS}, each verifier createVerifier + kafkaRevocations with its own client id and group. Once all are ready, a ${timing.settleMs / 1000} s settle, then an idle window of ${timing.windowMs / 1000} s and a window of ${timing.flowingMs / 1000} s with ${EVENTS_PER_S} session revocations/s published open-loop (kafkajs producer, acks=all, one record per send). Broker CPU: utime+stime of each broker JVM (/proc) per second of wall time. Verifier CPU: the worker processes' utime+stime. JMX (org.apache.kafka.tools.JmxTool, one reading just before and one just after each window): RequestsPerSec counts by API, FetchSessionCache NumIncrementalFetchSessions and IncrementalFetchSessionEvictionsPerSec, socket-server-metrics connection-count and outgoing-byte-total (client listener), BrokerTopicMetrics BytesOutPerSec. Groups: admin ListGroups, counted by this fleet's client id prefix. Propagation: publish (before send) → onRevoked in the farthest (and nearest) verifier, one wall clock. Fits: least squares against N; the extrapolation uses the 3-node fits. Relay arm (3 nodes): the same fleet with one relay per process (createRevocationRelay over kafkaRevocations, one consumer and group per process) and its verifiers on relayRevocations over loopback HTTP; not part of the fits.`,
    settings: VERIFIER_CONSUMER_SETTINGS,
    sizes,
    verifiersPerProcess: VERIFIERS_PER_PROCESS,
    settleMs: timing.settleMs,
    windowMs: timing.windowMs,
    flowingWindowMs: timing.flowingMs,
    offeredEventsPerS: EVENTS_PER_S,
    clusters: fitted,
    points,
    extrapolation,
  };
}
