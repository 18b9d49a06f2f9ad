import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ClusterNotFoundError } from './errors.js';
import {
  nodeLayouts,
  openCluster,
  runningNodes,
  type ClusterSelector,
} from './lib/cluster-files.js';
import type { NodeCount } from './lib/config.js';
import { adminLogin } from './lib/credentials.js';
import { probeMetadata } from './lib/metadata-probe.js';
import { paths } from './lib/paths.js';

/** One node as seen right now. */
export interface NodeStatus {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  /** The JVM's pid, or `undefined` when it is not running. */
  readonly pid: number | undefined;
  /** Node ids this node lists as live brokers; empty when it does not answer. */
  readonly listedNodes: readonly number[];
  readonly logFile: string;
}

/** A local cluster as seen right now. */
export interface ClusterStatus {
  readonly name: string;
  readonly dir: string;
  readonly kafkaVersion: string;
  readonly nodeCount: NodeCount;
  readonly basePort: number;
  /** Comma-separated `host:port` of every broker. */
  readonly bootstrap: string;
  /** True when every node runs and lists every node. */
  readonly serving: boolean;
  readonly nodes: readonly NodeStatus[];
}

/**
 * Reports whether each node of a local cluster is running and serving.
 *
 * @throws {ClusterNotFoundError} no such cluster.
 * @example
 * ```ts
 * const { serving, bootstrap } = await clusterStatus({ name: 'local-9092' });
 * ```
 */
export async function clusterStatus(selector: ClusterSelector = {}): Promise<ClusterStatus> {
  const { name, dir, spec } = await openCluster(selector);
  const running = await runningNodes(spec, dir);
  const credentials = await adminLogin(spec.secure !== undefined, dir);
  const nodes = await Promise.all(
    nodeLayouts(spec, dir).map(async (node): Promise<NodeStatus> => {
      const pid = running.get(node.id);
      let listedNodes: number[] = [];
      if (pid !== undefined) {
        try {
          const probe = await probeMetadata(spec.host, node.brokerPort, 1_000, credentials);
          listedNodes = probe.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
        } catch {
          // Running but not answering (starting, or stuck): reported as listing nobody.
        }
      }
      return {
        id: node.id,
        brokerPort: node.brokerPort,
        controllerPort: node.controllerPort,
        pid,
        listedNodes,
        logFile: node.logFile,
      };
    }),
  );
  return {
    name,
    dir,
    kafkaVersion: spec.kafkaVersion,
    nodeCount: spec.nodes,
    basePort: spec.basePort,
    bootstrap: nodes.map((node) => `${spec.host}:${node.brokerPort}`).join(','),
    serving: nodes.every((node) => node.listedNodes.length === spec.nodes),
    nodes,
  };
}

/**
 * Status of every cluster created under `dataDir`.
 *
 * @example
 * ```ts
 * for (const cluster of await listClusters()) console.log(cluster.name, cluster.serving);
 * ```
 */
export async function listClusters(
  dataDir: string = paths.defaultDataDir,
): Promise<ClusterStatus[]> {
  let entries: string[];
  try {
    entries = await readdir(resolve(dataDir));
  } catch {
    return [];
  }
  const statuses: ClusterStatus[] = [];
  for (const name of entries.sort()) {
    try {
      statuses.push(await clusterStatus({ name, dataDir }));
    } catch (error) {
      // Not a cluster directory (no cluster.json, or a name we would never create): skip it.
      if (error instanceof ClusterNotFoundError || error instanceof TypeError) continue;
      throw error;
    }
  }
  return statuses;
}
