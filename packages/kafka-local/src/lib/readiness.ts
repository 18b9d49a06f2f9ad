import { setTimeout as sleep } from 'node:timers/promises';
import { NodeExitedError, StartTimeoutError } from '../errors.js';
import type { ClusterSpec, NodeLayout } from './config.js';
import { probeMetadata, type ProbeCredentials } from './metadata-probe.js';
import { isNodeProcess, logTail } from './node-process.js';

/** What to wait for: each of `nodes` answering Metadata with all of `expectIds` listed. */
export interface ReadinessTarget {
  readonly spec: ClusterSpec;
  readonly nodes: readonly NodeLayout[];
  readonly expectIds: readonly number[];
  /** JVMs to watch (node id → pid): if one dies, fail at once instead of timing out. */
  readonly started: ReadonlyMap<number, number>;
  readonly timeoutMs: number;
  /** The admin login of a secured cluster: its listeners answer nothing before SASL. */
  readonly credentials?: ProbeCredentials | undefined;
}

const POLL_INTERVAL_MS = 500;

/**
 * Polls until every node in the target serves Metadata listing every expected node id.
 *
 * @throws {NodeExitedError} a started JVM died (bad config, port taken after our check, OOM).
 * @throws {StartTimeoutError} not ready within `timeoutMs`.
 */
export async function waitUntilServing(target: ReadinessTarget): Promise<void> {
  const deadline = Date.now() + target.timeoutMs;
  let lastState = 'not probed yet';
  for (;;) {
    for (const node of target.nodes) {
      const pid = target.started.get(node.id);
      if (pid !== undefined && !isNodeProcess(pid, node)) {
        throw new NodeExitedError(node.id, node.logFile, await logTail(node));
      }
    }
    const views = await Promise.all(
      target.nodes.map(async (node) => {
        try {
          const probe = await probeMetadata(
            target.spec.host,
            node.brokerPort,
            2_000,
            target.credentials,
          );
          const listed = probe.brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
          const ready = target.expectIds.every((id) => listed.includes(id));
          return { ready, state: `node ${node.id} lists [${listed.join(',')}]` };
        } catch (error) {
          return { ready: false, state: `node ${node.id}: ${(error as Error).message}` };
        }
      }),
    );
    if (views.every((view) => view.ready)) return;
    lastState = views.map((view) => view.state).join('; ');
    if (Date.now() > deadline) {
      throw new StartTimeoutError(target.spec.name, target.timeoutMs, lastState);
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
