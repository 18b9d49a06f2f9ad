/**
 * B4 worker: time from creating a reader to having read the whole topic, either a verifier
 * (`createVerifier(...).ready()`: replay, decode, validate, apply), a bare kafkajs consumer
 * (`bareReplay` in lib/kafka.ts) that only counts records up to the high-water marks, or the
 * floor: the bare consumer doing the least any rule-holding reader must do per record — decode
 * the UTF-8 value, `JSON.parse` it, keep it in a Map by its key. Each run is a fresh process,
 * so none profits from another's warm JIT or connections.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Message } from '../lib/child.js';
import { bareReplay } from '../lib/kafka.js';
import { createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';

export interface ColdStartRequest extends Message {
  readonly type: 'run';
  /**
   * `verifier`: a full replay. `snapshot-save`: a full replay with a snapshot directory, then
   * close (which saves the snapshot; its time is `closeMs`). `snapshot`: a start from that
   * snapshot. `bare`, `floor`: the kafkajs consumers described above.
   */
  readonly mode: 'verifier' | 'snapshot-save' | 'snapshot' | 'bare' | 'floor';
  readonly brokers: readonly string[];
  readonly topic: string;
  /** The snapshot directory of the snapshot modes. */
  readonly snapshotDirectory?: string;
}

export interface ColdStartResult extends Message {
  readonly type: 'result';
  /** From creating the client to ready (verifier) or to the last record (bare), ms. */
  readonly ms: number;
  /** Records read (bare) or rules held (verifier). */
  readonly count: number;
  /** heapUsed once ready, bytes. */
  readonly heapUsed: number;
  /** The verifier's close(), ms: with a snapshot directory, it saves the snapshot. */
  readonly closeMs?: number;
  /** The event loop's longest stall during close(), ms. */
  readonly longestStallMs?: number;
  /** Records the verifier read from the topic (a start from a snapshot reads only the tail). */
  readonly applied?: number;
}

/** The same fetch wait as the verifier's consumer, so neither idles longer at the end. */
const MAX_WAIT_TIME_MS = 100;

async function verifierReady(request: ColdStartRequest): Promise<ColdStartResult> {
  const key = await createBenchKey();
  const started = performance.now();
  const verifier = benchVerifier({
    jwks: keySet(key),
    brokers: request.brokers,
    topic: request.topic,
    clientId: 'bench-b4',
    ...(request.mode === 'verifier' || request.snapshotDirectory === undefined
      ? {}
      : { snapshotDirectory: request.snapshotDirectory }),
  });
  await verifier.ready();
  const ms = performance.now() - started;
  const stats = verifier.stats();
  const count = Object.values(stats.rulesByKind).reduce((a, b) => a + b, 0);
  const heapUsed = process.memoryUsage().heapUsed;
  // The longest the event loop stalls while close() saves the snapshot: what a service serving
  // requests would feel at each periodic save.
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const closing = performance.now();
  await verifier.close();
  const closeMs = performance.now() - closing;
  stalls.disable();
  return {
    type: 'result',
    ms,
    count,
    heapUsed,
    closeMs,
    longestStallMs: stalls.max / 1e6,
    applied: stats.applied,
  };
}

async function bareConsumer(request: ColdStartRequest): Promise<ColdStartResult> {
  const held = new Map<string, unknown>();
  const started = performance.now();
  const read = await bareReplay(request.brokers, request.topic, {
    clientId: `bench-b4-${request.mode}`,
    maxWaitTimeInMs: MAX_WAIT_TIME_MS,
    ...(request.mode === 'floor'
      ? {
          onRecord: (key: Buffer | null, value: Buffer | null) => {
            if (key !== null && value !== null)
              held.set(key.toString(), JSON.parse(value.toString()));
          },
        }
      : {}),
  });
  return {
    type: 'result',
    ms: read.caughtUpAt - started,
    count: request.mode === 'floor' ? held.size : read.count,
    heapUsed: read.heapUsed,
  };
}

listen<ColdStartRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'stop') process.exit(0);
  const { mode } = message;
  reply(
    mode === 'bare' || mode === 'floor'
      ? await bareConsumer(message)
      : await verifierReady(message),
  );
});
process.on('uncaughtException', fail);
