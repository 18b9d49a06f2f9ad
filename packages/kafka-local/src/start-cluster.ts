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
import { createAcls, gatewayTopicOf, revocationAcls } from './lib/acls.js';
import {
  nodeIds,
  nodeJmxPort,
  type ClusterSpec,
  type NodeCount,
  type SecureSpec,
} from './lib/config.js';
import { adminLogin, clusterCredentials, type ClusterCredentials } from './lib/credentials.js';
import { formatStorage } from './lib/format-storage.js';
import { spawnNode, stopNodeProcess } from './lib/node-process.js';
import { portAnswers } from './local-tools/process.js';
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
  /**
   * Secure the cluster: SASL/SCRAM-SHA-512 on the client listener, `StandardAuthorizer` with
   * `allow.everyone.if.no.acl.found=false`, the principals `admin` (super user), `user-service`
   * (produces the topic), `gateway` (produces `<topic>.gateway`) and `verifier` (consumes both),
   * their generated passwords in
   * `<dir>/credentials.json` and {@link LocalCluster.credentials}. `true` uses the defaults of
   * {@link SecureClusterOptions}. Fixed when the cluster is created. Default: false (PLAINTEXT,
   * no authorizer).
   */
  readonly secure?: boolean | SecureClusterOptions | undefined;
  /**
   * Opens each node's JVM to JMX on the loopback interface, without authentication: node `i`
   * on `jmxBasePort + i - 1`, for tools that read the broker's own metrics (Kafka's JmxTool).
   * Default: no JMX port.
   */
  readonly jmxBasePort?: number | undefined;
  /** Receives one line per step (resolving jars, formatting, starting). Default: silent. */
  readonly log?: ((message: string) => void) | undefined;
}

/** What a secured cluster authorizes. */
export interface SecureClusterOptions {
  /**
   * The revocation topic `user-service` may write and `verifier` may read; `gateway` may write
   * `<topic>.gateway` only (see {@link LocalCluster.gatewayTopic}). Default: `auth.revocations`.
   */
  readonly topic?: string | undefined;
  /**
   * Consumer group id prefixes `verifier` may READ and DELETE (a verifier's group is
   * `<clientId>-<uuid>`). Default: `['revocation-verifier', 'game-service']`.
   */
  readonly verifierGroupPrefixes?: readonly string[] | undefined;
}

/** Username and password of one principal of a secured cluster (SCRAM-SHA-512). */
export interface LocalPrincipal {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** The principals of a secured cluster. */
export interface LocalCredentials {
  /** Super user: topic creation, ACLs, anything. */
  readonly admin: LocalPrincipal;
  /** May WRITE, DESCRIBE, DESCRIBE_CONFIGS and CREATE the revocation topic, nothing else. */
  readonly userService: LocalPrincipal;
  /** The same rights on the gateway's topic (`<topic>.gateway`) only, for the revocation gateway. */
  readonly gateway: LocalPrincipal;
  /** May READ, DESCRIBE and DESCRIBE_CONFIGS both topics and READ/DELETE its consumer groups. */
  readonly verifier: LocalPrincipal;
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
  /** The JMX port on 127.0.0.1, when the cluster was started with `jmxBasePort`. */
  readonly jmxPort: number | undefined;
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
  /** The principals' credentials when the cluster is secured, else `undefined`. */
  readonly credentials: LocalCredentials | undefined;
  /** The user-service's ACL'd revocation topic of a secured cluster, else `undefined`. */
  readonly topic: string | undefined;
  /** The gateway's ACL'd revocation topic of a secured cluster (`<topic>.gateway`), else `undefined`. */
  readonly gatewayTopic: string | undefined;
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
  const jmxBasePort = options.jmxBasePort;
  if (
    jmxBasePort !== undefined &&
    (!Number.isInteger(jmxBasePort) || jmxBasePort < 1024 || jmxBasePort + nodes > 65_535)
  ) {
    throw new TypeError(
      `jmxBasePort must be an integer port from 1024 leaving room for ${nodes} ports, got ${jmxBasePort}`,
    );
  }
  const secure = secureSpec(options.secure);
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
    } else if ((existing.secure !== undefined) !== (secure !== undefined)) {
      throw new ClusterMismatchError(
        name,
        `it was created ${existing.secure === undefined ? 'unsecured' : 'secured'}, ${secure === undefined ? 'unsecured' : 'secured'} requested; start it fresh or choose another name`,
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
        credentials: await adminLogin(existing.secure !== undefined, dir),
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
    // The ACL plan of an existing cluster is kept: its ACLs already live in its metadata.
    ...(secure === undefined ? {} : { secure: existing?.secure ?? secure }),
    ...(jmxBasePort === undefined ? {} : { jmxBasePort }),
  };
  // Rewritten every time so a changed template or base port applies on the next start;
  // the data (and with it the cluster id) is kept.
  const layouts = await writeClusterFiles(spec, dir);
  const running = await runningNodes(spec, dir);
  const toStart = layouts.filter((node) => !running.has(node.id));
  for (const node of toStart) {
    const jmxPort = nodeJmxPort(spec, node.id);
    for (const port of [
      node.brokerPort,
      node.controllerPort,
      ...(jmxPort === undefined ? [] : [jmxPort]),
    ]) {
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
    const credentials = await adminLogin(spec.secure !== undefined, dir);
    await waitUntilServing({
      spec,
      nodes: layouts,
      expectIds: nodeIds(spec),
      started,
      timeoutMs,
      credentials,
    });
    if (spec.secure !== undefined && credentials !== undefined) {
      // Re-created on every start (idempotent in Kafka): a start interrupted after formatting
      // still ends with the full ACL set.
      const first = layouts[0];
      if (first !== undefined) {
        await createAcls(HOST, first.brokerPort, credentials, revocationAcls(spec.secure));
        log(
          `ACLs set for topics '${spec.secure.topic}' and '${gatewayTopicOf(spec.secure.topic)}' (credentials in ${dir}/credentials.json)`,
        );
      }
    }
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

function secureSpec(value: StartClusterOptions['secure']): SecureSpec | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return secureSpec({});
  if (typeof value !== 'object') {
    throw new TypeError(`secure must be a boolean or secure options, got ${String(value)}`);
  }
  const topic = value.topic ?? 'auth.revocations';
  // 241 = 249 (Kafka's limit) minus '.gateway': the gateway's topic must be a name too.
  if (typeof topic !== 'string' || !/^[A-Za-z0-9._-]{1,241}$/.test(topic)) {
    throw new TypeError(
      `secure.topic must be a Kafka topic name of at most 241 characters, got ${String(topic)}`,
    );
  }
  const prefixes: unknown = value.verifierGroupPrefixes ?? ['revocation-verifier', 'game-service'];
  if (!isStringList(prefixes)) {
    throw new TypeError(
      `secure.verifierGroupPrefixes must be non-empty strings, got ${JSON.stringify(prefixes)}`,
    );
  }
  return { topic, verifierGroupPrefixes: [...prefixes] };
}

function isStringList(value: unknown): value is readonly string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((item) => typeof item === 'string' && item !== '')
  );
}

async function describe(
  spec: ClusterSpec,
  dir: string,
  pidById: ReadonlyMap<number, number>,
  alreadyRunning: boolean,
): Promise<LocalCluster> {
  const nodes = nodeLayouts(spec, dir).map((node): LocalNode => ({
    id: node.id,
    brokerPort: node.brokerPort,
    controllerPort: node.controllerPort,
    dir: node.dir,
    logFile: node.logFile,
    pid: pidById.get(node.id),
    jmxPort: nodeJmxPort(spec, node.id),
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
    credentials:
      spec.secure === undefined ? undefined : toCredentials(await clusterCredentials(dir)),
    topic: spec.secure?.topic,
    gatewayTopic: spec.secure === undefined ? undefined : gatewayTopicOf(spec.secure.topic),
  };
}

function toCredentials(passwords: ClusterCredentials): LocalCredentials {
  const principal = (username: keyof ClusterCredentials): LocalPrincipal => ({
    mechanism: 'scram-sha-512',
    username,
    password: passwords[username],
  });
  return {
    admin: principal('admin'),
    userService: principal('user-service'),
    gateway: principal('gateway'),
    verifier: principal('verifier'),
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
