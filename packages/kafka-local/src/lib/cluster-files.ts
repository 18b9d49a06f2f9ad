import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  nodeIds,
  nodeLayout,
  renderLog4j2Properties,
  renderServerProperties,
  type ClusterSpec,
  type NodeLayout,
} from './config.js';
import { clusterCredentials } from './credentials.js';
import { readJsonFile } from './json-file.js';
import { ClusterNotFoundError, UnknownNodeError } from '../errors.js';
import { runningPid } from './node-process.js';
import { paths } from './paths.js';

/** Default base port: Kafka's well-known 9092 (controller on 9093). */
export const DEFAULT_BASE_PORT = 9092;

/** Which cluster an operation is about. */
export interface ClusterSelector {
  /** Cluster name, also its directory name under `dataDir`. Default: `local-<basePort>`. */
  readonly name?: string | undefined;
  /** First broker port; only used to derive the default name. Default: 9092. */
  readonly basePort?: number | undefined;
  /** Directory holding all clusters. Default: `<repo>/.kafka`. */
  readonly dataDir?: string | undefined;
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The default cluster name carries its base port: two clusters can never share a port, so the
 * port is what tells local clusters apart, and `kafka start` then `kafka stop` need no name.
 */
export function defaultClusterName(basePort: number = DEFAULT_BASE_PORT): string {
  return `local-${basePort}`;
}

/** Resolves a selector to the cluster's name and directory, validating the name. */
export function locateCluster(selector: ClusterSelector = {}): { name: string; dir: string } {
  const name = selector.name ?? defaultClusterName(selector.basePort);
  if (!NAME_PATTERN.test(name)) {
    throw new TypeError(
      `name must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(name)}`,
    );
  }
  return { name, dir: join(resolve(selector.dataDir ?? paths.defaultDataDir), name) };
}

function specFile(clusterDir: string): string {
  return join(clusterDir, 'cluster.json');
}

/** The cluster's persisted spec, or `undefined` if it was never created. */
export function readSpec(clusterDir: string): Promise<ClusterSpec | undefined> {
  return readJsonFile<ClusterSpec>(specFile(clusterDir));
}

/** Layouts of every node of the cluster. */
export function nodeLayouts(spec: ClusterSpec, clusterDir: string): NodeLayout[] {
  return nodeIds(spec).map((id) => nodeLayout(clusterDir, spec.basePort, id));
}

/** Writes `cluster.json` and every node's `server.properties` and `log4j2.properties`. */
export async function writeClusterFiles(
  spec: ClusterSpec,
  clusterDir: string,
): Promise<NodeLayout[]> {
  await mkdir(clusterDir, { recursive: true });
  await writeFile(specFile(clusterDir), `${JSON.stringify(spec, null, 2)}\n`);
  const layouts = nodeLayouts(spec, clusterDir);
  const adminPassword =
    spec.secure === undefined ? undefined : (await clusterCredentials(clusterDir)).admin;
  for (const node of layouts) {
    await mkdir(node.dataDir, { recursive: true });
    // Holds the admin password when secured: owner-only, like credentials.json.
    await writeFile(node.serverProperties, renderServerProperties(spec, node, adminPassword), {
      mode: 0o600,
    });
    await writeFile(node.log4j2Properties, renderLog4j2Properties());
  }
  return layouts;
}

/** The running nodes of a cluster: node id → verified pid. */
export async function runningNodes(spec: ClusterSpec, dir: string): Promise<Map<number, number>> {
  const running = new Map<number, number>();
  for (const node of nodeLayouts(spec, dir)) {
    const pid = await runningPid(node);
    if (pid !== undefined) running.set(node.id, pid);
  }
  return running;
}

/** A created cluster: its name, directory and spec. */
export interface OpenedCluster {
  readonly name: string;
  readonly dir: string;
  readonly spec: ClusterSpec;
}

/**
 * Finds a created cluster.
 *
 * @throws {ClusterNotFoundError} no cluster of that name exists.
 */
export async function openCluster(selector: ClusterSelector = {}): Promise<OpenedCluster> {
  const { name, dir } = locateCluster(selector);
  const spec = await readSpec(dir);
  if (spec === undefined) throw new ClusterNotFoundError(name, dir);
  return { name, dir, spec };
}

/**
 * The layout of node `id` of an opened cluster.
 *
 * @throws {UnknownNodeError} `id` is not one of the cluster's node ids.
 */
export function clusterNode(cluster: OpenedCluster, id: number): NodeLayout {
  const node = nodeLayouts(cluster.spec, cluster.dir).find((layout) => layout.id === id);
  if (node === undefined) throw new UnknownNodeError(cluster.name, id, cluster.spec.nodes);
  return node;
}
