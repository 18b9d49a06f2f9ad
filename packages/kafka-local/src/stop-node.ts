import { clusterNode, openCluster, type ClusterSelector } from './lib/cluster-files.js';
import { runningPid, stopNodeProcess } from './lib/node-process.js';
import type { StopSignal } from './local-tools/process.js';

export type { StopSignal } from './local-tools/process.js';

/** Options of {@link stopNode}. */
export interface StopNodeOptions extends ClusterSelector {
  /** `SIGTERM` for a controlled shutdown, `SIGKILL` for a crash. Default: `SIGTERM`. */
  readonly signal?: StopSignal;
  /** After SIGTERM, how long to wait before SIGKILL, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
}

/** What {@link stopNode} did. */
export interface StoppedNode {
  readonly id: number;
  /** The pid that was signalled, or `undefined` when the node was not running. */
  readonly pid: number | undefined;
  /** Whether the node ended by SIGKILL (asked for, or after a SIGTERM timeout). */
  readonly killed: boolean;
}

/**
 * Stops one node of a local cluster, for fault tests: the others keep running. Resolves once
 * the JVM is gone.
 *
 * @throws {ClusterNotFoundError} no such cluster.
 * @throws {UnknownNodeError} no such node.
 * @example
 * ```ts
 * await stopNode(2, { name: 'fault', signal: 'SIGTERM' });
 * ```
 */
export async function stopNode(id: number, options: StopNodeOptions = {}): Promise<StoppedNode> {
  const signal = options.signal ?? 'SIGTERM';
  if (signal !== 'SIGTERM' && signal !== 'SIGKILL') {
    throw new TypeError(`signal must be 'SIGTERM' or 'SIGKILL', got ${String(signal)}`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const node = clusterNode(await openCluster(options), id);
  const pid = await runningPid(node);
  if (pid === undefined) return { id, pid, killed: false };
  const { killed } = await stopNodeProcess(node, pid, signal, timeoutMs);
  return { id, pid, killed };
}

/**
 * SIGKILLs one node of a local cluster: a crash with no controlled shutdown, as in a power cut.
 *
 * @example
 * ```ts
 * await killNode(1, { name: 'fault' });
 * ```
 */
export function killNode(id: number, options: ClusterSelector = {}): Promise<StoppedNode> {
  return stopNode(id, { ...options, signal: 'SIGKILL' });
}
