/**
 * B11 worker: one pod of a deploy storm — one verifier in its own process. Modules are loaded
 * and the key made before the parent's start signal, so the storm times the verifier's start
 * (replay, or snapshot plus tail), not Node's boot; the signal carries the shared wall-clock
 * instant every worker measures from.
 */
import type { Verifier } from '@revocation-fabric/verifier';
import { benchVerifier } from '../lib/bench-verifier.js';
import { wallClockMs } from '../lib/clock.js';
import { createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';

export type StormWorkerRequest =
  | {
      readonly type: 'go';
      /** The start signal's wall-clock time, ms. */
      readonly goAt: number;
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly clientId: string;
      /** The feed's snapshot directory (the snapshot arm); absent: full replay. */
      readonly snapshotDirectory?: string;
    }
  | { readonly type: 'stop' };

export type StormWorkerReply =
  | { readonly type: 'loaded' }
  | {
      readonly type: 'ready';
      /** Start signal → ready(), ms on the shared wall clock. */
      readonly readyMs: number;
      /** Rules the verifier held when ready. */
      readonly rules: number;
    };

let verifier: Verifier | undefined;
const key = await createBenchKey();

listen<StormWorkerRequest>(async (message) => {
  switch (message.type) {
    case 'go': {
      verifier = benchVerifier({
        jwks: keySet(key),
        brokers: message.brokers,
        topic: message.topic,
        clientId: message.clientId,
        ...(message.snapshotDirectory === undefined
          ? {}
          : { snapshotDirectory: message.snapshotDirectory }),
      });
      await verifier.ready();
      const readyMs = wallClockMs() - message.goAt;
      const rules = Object.values(verifier.stats().rulesByKind).reduce((a, b) => a + b, 0);
      reply<StormWorkerReply>({ type: 'ready', readyMs, rules });
      break;
    }
    case 'stop':
      // close() is where the snapshot arm's verifier writes its snapshot.
      await verifier?.close();
      process.exit(0);
  }
});
reply<StormWorkerReply>({ type: 'loaded' });
process.on('uncaughtException', fail);
