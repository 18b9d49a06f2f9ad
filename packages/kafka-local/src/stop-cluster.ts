import {
  locateCluster,
  nodeLayouts,
  readSpec,
  runningNodes,
  type ClusterSelector,
} from './lib/cluster-files.js';
import { stopNodeProcess } from './lib/node-process.js';

/** Options of {@link stopCluster}. */
export interface StopClusterOptions extends ClusterSelector {
  /** How long each node gets to shut down after SIGTERM before it is SIGKILLed, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
}

/** What {@link stopCluster} did. */
export interface StoppedCluster {
  readonly name: string;
  /** Ids of the nodes that were running and are now stopped. */
  readonly stopped: readonly number[];
  /** The subset that ignored SIGTERM for `timeoutMs` and was SIGKILLed. */
  readonly forced: readonly number[];
}

/**
 * Stops every running node of a local cluster: SIGTERM to all at once (so no node waits on a
 * controlled shutdown that a stopped quorum can no longer grant), SIGKILL after `timeoutMs`.
 * Only processes recorded in the cluster's pid files and verified to be its JVMs are signalled.
 * A cluster that does not exist or is not running is not an error: nothing is stopped.
 *
 * @example
 * ```ts
 * const { stopped } = await stopCluster({ name: 'fault' });
 * ```
 */
export async function stopCluster(options: StopClusterOptions = {}): Promise<StoppedCluster> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(
      `timeoutMs must be a non-negative number of milliseconds, got ${timeoutMs}`,
    );
  }
  const { name, dir } = locateCluster(options);
  const spec = await readSpec(dir);
  if (spec === undefined) return { name, stopped: [], forced: [] };
  const running = await runningNodes(spec, dir);
  const results = await Promise.all(
    nodeLayouts(spec, dir).map(async (node) => {
      const pid = running.get(node.id);
      if (pid === undefined) return undefined;
      const { killed } = await stopNodeProcess(node, pid, 'SIGTERM', timeoutMs);
      return { id: node.id, killed };
    }),
  );
  const done = results.filter((result) => result !== undefined);
  return {
    name,
    stopped: done.map((result) => result.id),
    forced: done.filter((result) => result.killed).map((result) => result.id),
  };
}
