import { ensureJars } from './ensure-jars.js';
import { PortInUseError } from './errors.js';
import { clusterNode, openCluster, type ClusterSelector } from './lib/cluster-files.js';
import { nodeJmxPort } from './lib/config.js';
import { adminLogin } from './lib/credentials.js';
import { formatStorage } from './lib/format-storage.js';
import { runningPid, spawnNode } from './lib/node-process.js';
import { portAnswers } from './local-tools/process.js';
import { waitUntilServing } from './lib/readiness.js';
import type { LocalNode } from './start-cluster.js';

/** Options of {@link startNode}. */
export interface StartNodeOptions extends ClusterSelector {
  /** How long to wait for the node to serve metadata again, in ms. Default: 120 000. */
  readonly startTimeoutMs?: number;
}

/**
 * (Re)starts one stopped node of an existing local cluster and resolves once it serves
 * Metadata listing itself, i.e. it has rejoined and been unfenced. A running node is left as is.
 *
 * @throws {ClusterNotFoundError} no such cluster.
 * @throws {UnknownNodeError} no such node.
 * @throws {PortInUseError} another process took the node's port while it was down.
 * @throws {NodeExitedError} the JVM died during start-up.
 * @throws {StartTimeoutError} the node did not rejoin in time.
 * @example
 * ```ts
 * await killNode(2, { name: 'fault' });
 * await startNode(2, { name: 'fault' });
 * ```
 */
export async function startNode(id: number, options: StartNodeOptions = {}): Promise<LocalNode> {
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  const cluster = await openCluster(options);
  const node = clusterNode(cluster, id);
  const jmxPort = nodeJmxPort(cluster.spec, id);
  const describe = (pid: number): LocalNode => ({
    id,
    brokerPort: node.brokerPort,
    controllerPort: node.controllerPort,
    dir: node.dir,
    logFile: node.logFile,
    pid,
    jmxPort,
  });
  const running = await runningPid(node);
  if (running !== undefined) return describe(running);

  for (const port of [
    node.brokerPort,
    node.controllerPort,
    ...(jmxPort === undefined ? [] : [jmxPort]),
  ]) {
    if (await portAnswers(cluster.spec.host, port)) throw new PortInUseError(port, id);
  }
  const jars = await ensureJars();
  await formatStorage(cluster.spec, node, jars);
  const pid = await spawnNode(cluster.spec, node, jars.classpath);
  await waitUntilServing({
    spec: cluster.spec,
    nodes: [node],
    expectIds: [id],
    started: new Map([[id, pid]]),
    timeoutMs,
    credentials: await adminLogin(cluster.spec.secure !== undefined, cluster.dir),
  });
  return describe(pid);
}
