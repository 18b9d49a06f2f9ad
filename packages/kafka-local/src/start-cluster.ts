import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { ensureJars } from './ensure-jars.js';
import { ClusterMismatchError, PortInUseError } from './errors.js';
import {
  DEFAULT_BASE_PORT,
  locateCluster,
  nodeLayouts,
  readSpec,
  runningNodes,
  writeClusterFiles,
  type ClusterSelector,
} from './lib/cluster-files.js';
import { nodeIds, type ClusterSpec, type NodeCount } from './lib/config.js';
import { formatStorage } from './lib/format-storage.js';
import { portAnswers, spawnNode, stopNodeProcess } from './lib/node-process.js';
import { waitUntilServing } from './lib/readiness.js';

export type { NodeCount } from './lib/config.js';

/** Options of {@link startCluster}. */
export interface StartClusterOptions extends ClusterSelector {
  /** How many combined broker+controller nodes. Default: 1. */
  readonly nodes?: NodeCount | undefined;
  /**
   * Broker port of node 1. Node `i` listens on `basePort + 2(i-1)` (broker) and one above that
   * (controller). Default: 9092.
   */
  readonly basePort?: number | undefined;
  /** Delete the cluster's data (stopping it first if running) and start from empty storage. Default: false. */
  readonly fresh?: boolean | undefined;
  /** How long to wait for every node to serve metadata, in ms. Default: 120 000. */
  readonly startTimeoutMs?: number | undefined;
  /** JVM heap per node, in MiB. Default: 128 initial, 512 max. */
  readonly heap?: { readonly initialMb: number; readonly maxMb: number } | undefined;
  /** Receives one line per step (resolving jars, formatting, starting). Default: silent. */
  readonly log?: ((message: string) => void) | undefined;
}

/** One node of a local cluster. */
export interface LocalNode {
  /** KRaft node id, 1-based. */
  readonly id: number;
  /** Port of the PLAINTEXT client listener on 127.0.0.1. */
  readonly brokerPort: number;
  /** Port of the KRaft controller listener on 127.0.0.1. */
  readonly controllerPort: number;
  /** The node's directory: config, `data/`, `logs/server.log`, `kafka.pid`. */
  readonly dir: string;
  /** Where the JVM's output goes. */
  readonly logFile: string;
  /** The JVM's pid, when running. */
  readonly pid: number | undefined;
}

/** A started (or found already running) local cluster. */
export interface LocalCluster {
  readonly name: string;
  /** `<dataDir>/<name>`: `cluster.json` and one `node-<id>/` per node. */
  readonly dir: string;
  /** The Apache Kafka version the nodes run. */
  readonly kafkaVersion: string;
  readonly nodes: readonly LocalNode[];
  /** `host:port` of every broker, for client `brokers` settings. */
  readonly brokers: readonly string[];
  /** The same, comma-separated, for `bootstrap.servers` / `KAFKA_BROKERS`. */
  readonly bootstrap: string;
  /** True when every node was already running and nothing was started. */
  readonly alreadyRunning: boolean;
}

const DEFAULT_HEAP = { initialMb: 128, maxMb: 512 } as const;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const HOST = '127.0.0.1';

/**
 * Starts a local KRaft cluster of real Apache Kafka JVMs from the Maven-resolved jars, or finds
 * it already running. Each node is detached (it outlives the caller) and combined
 * broker+controller; files live in `<dataDir>/<name>/node-<id>/`. Resolves once every node
 * serves a Metadata request listing all nodes. Nodes of the cluster that are down are started;
 * nodes already up are left alone. If start-up fails, the JVMs this call started are killed.
 *
 * @throws {ToolMissingError} `java` (or, on first use, `mvn`) is missing.
 * @throws {PortInUseError} another process holds one of the cluster's ports.
 * @throws {ClusterMismatchError} the name is taken by a cluster of a different shape.
 * @throws {NodeExitedError} a node's JVM died during start-up.
 * @throws {StartTimeoutError} the cluster did not become ready in time.
 * @example
 * ```ts
 * const cluster = await startCluster({ nodes: 3, basePort: 29092, name: 'fault' });
 * cluster.bootstrap; // '127.0.0.1:29092,127.0.0.1:29094,127.0.0.1:29096'
 * ```
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const nodes = options.nodes ?? 1;
  if (nodes !== 1 && nodes !== 3) throw new TypeError(`nodes must be 1 or 3, got ${String(nodes)}`);
  const basePort = options.basePort ?? DEFAULT_BASE_PORT;
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 2 * nodes > 65_535) {
    throw new TypeError(
      `basePort must be an integer port from 1024 leaving room for ${2 * nodes} ports, got ${basePort}`,
    );
  }
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      `startTimeoutMs must be a positive number of milliseconds, got ${timeoutMs}`,
    );
  }
  const heap = options.heap ?? DEFAULT_HEAP;
  if (
    !Number.isInteger(heap.initialMb) ||
    !Number.isInteger(heap.maxMb) ||
    heap.initialMb < 32 ||
    heap.maxMb < heap.initialMb
  ) {
    throw new TypeError(
      `heap must be whole MiB with 32 <= initialMb <= maxMb, got ${JSON.stringify(heap)}`,
    );
  }
  const log = options.log ?? ((): void => undefined);
  const { name, dir } = locateCluster({ ...options, basePort });

  let existing = await readSpec(dir);
  if (existing !== undefined) {
    const running = await runningNodes(existing, dir);
    if (options.fresh === true) {
      // All at once: a node stopped alone waits for a controlled shutdown from the others.
      await Promise.all(
        nodeLayouts(existing, dir).map(async (node) => {
          const pid = running.get(node.id);
          if (pid !== undefined) await stopNodeProcess(node, pid, 'SIGTERM', 30_000);
        }),
      );
      log(`removing ${dir} (fresh start)`);
      await rm(dir, { recursive: true, force: true });
      existing = undefined;
    } else if (running.size > 0 && (existing.nodes !== nodes || existing.basePort !== basePort)) {
      throw new ClusterMismatchError(
        name,
        `it is running with ${existing.nodes} node(s) on base port ${existing.basePort}; stop it or choose another name`,
      );
    } else if (existing.nodes !== nodes) {
      throw new ClusterMismatchError(
        name,
        `it was created with ${existing.nodes} node(s), ${nodes} requested; start it fresh or choose another name`,
      );
    } else if (running.size === existing.nodes) {
      log(`cluster '${name}' is already running`);
      // Possibly still starting (another process launched it a moment ago): wait, don't relaunch.
      const layouts = nodeLayouts(existing, dir);
      await waitUntilServing({
        spec: existing,
        nodes: layouts,
        expectIds: nodeIds(existing),
        started: running,
        timeoutMs,
      });
      return describe(existing, dir, running, true);
    }
  }

  const jars = await ensureJars({ log });
  const spec: ClusterSpec = {
    name,
    nodes,
    basePort,
    host: HOST,
    clusterId: existing?.clusterId ?? newClusterId(),
    kafkaVersion: jars.version,
    heap: { initialMb: heap.initialMb, maxMb: heap.maxMb },
  };
  // Rewritten every time so a changed template or base port applies on the next start;
  // the data (and with it the cluster id) is kept.
  const layouts = await writeClusterFiles(spec, dir);
  const running = await runningNodes(spec, dir);
  const toStart = layouts.filter((node) => !running.has(node.id));
  for (const node of toStart) {
    for (const port of [node.brokerPort, node.controllerPort]) {
      if (await portAnswers(HOST, port)) throw new PortInUseError(port, node.id);
    }
  }

  const formatted = await Promise.all(toStart.map((node) => formatStorage(spec, node, jars)));
  if (formatted.some(Boolean)) log(`formatted storage for cluster id ${spec.clusterId}`);

  const started = new Map<number, number>();
  try {
    for (const node of toStart) {
      const pid = await spawnNode(spec, node, jars.classpath);
      started.set(node.id, pid);
      log(
        `started node ${node.id} (pid ${pid}, broker ${HOST}:${node.brokerPort}, log ${node.logFile})`,
      );
    }
    await waitUntilServing({ spec, nodes: layouts, expectIds: nodeIds(spec), started, timeoutMs });
  } catch (error) {
    // Leave nothing half-started behind; nodes that were already running are not ours to stop.
    for (const node of toStart) {
      const pid = started.get(node.id);
      if (pid !== undefined) await stopNodeProcess(node, pid, 'SIGKILL', 0);
    }
    throw error;
  }
  return describe(spec, dir, new Map([...running, ...started]), false);
}

function describe(
  spec: ClusterSpec,
  dir: string,
  pidById: ReadonlyMap<number, number>,
  alreadyRunning: boolean,
): LocalCluster {
  const nodes = nodeLayouts(spec, dir).map((node): LocalNode => ({
    id: node.id,
    brokerPort: node.brokerPort,
    controllerPort: node.controllerPort,
    dir: node.dir,
    logFile: node.logFile,
    pid: pidById.get(node.id),
  }));
  const brokers = nodes.map((node) => `${spec.host}:${node.brokerPort}`);
  return {
    name: spec.name,
    dir,
    kafkaVersion: spec.kafkaVersion,
    nodes,
    brokers,
    bootstrap: brokers.join(','),
    alreadyRunning,
  };
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (22 chars), as Kafka's `Uuid`. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    // Kafka's own generator rejects ids starting with '-': they parse as command-line flags.
    if (!id.startsWith('-')) return id;
  }
}
