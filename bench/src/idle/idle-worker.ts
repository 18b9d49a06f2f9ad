/**
 * B7 worker: one idle process of a kind — a verifier, a bare kafkajs consumer or a bare node
 * process — that reports its own CPU time and the requests it sent to the brokers, and (a
 * verifier) the moment it applied each session rule the parent publishes.
 */
import type { RevocationRule } from '@revocation-fabric/protocol';
import type { Verifier } from '@revocation-fabric/verifier';
import { benchVerifier } from '../lib/bench-verifier.js';
import { countBrokerRequests } from '../lib/broker-requests.js';
import { wallClockMs } from '../lib/clock.js';
import { idleConsumer } from '../lib/kafka.js';
import type { IdleConsumer } from '../lib/kafka.js';
import { createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';

/**
 * What an idle process is: a verifier of the workspace, the same verifier installed with npm from
 * the packed tarballs (`installed`, see installed-hooks.ts), a bare kafkajs consumer, bare node.
 */
export type IdleKind = 'verifier' | 'installed' | 'kafkajs' | 'node';

export type IdleWorkerRequest =
  | {
      readonly type: 'init';
      readonly kind: IdleKind;
      readonly name: string;
      readonly brokers: readonly string[];
      readonly topic: string;
    }
  | { readonly type: 'sample' }
  | { readonly type: 'stop' };

export type IdleWorkerReply =
  | {
      readonly type: 'ready';
      /** Where `@revocation-fabric/verifier` resolved from (workspace or installed copy). */
      readonly verifierUrl: string;
    }
  | {
      readonly type: 'sample';
      /** `process.cpuUsage()` user + system, ms (µs resolution, beside /proc's 10 ms ticks). */
      readonly cpuMs: number;
      /** Writes to the brokers' ports since init (one per Kafka request). */
      readonly socketRequests: number;
      /** kafkajs' REQUEST events (bare consumer only). */
      readonly kafkajsRequests: number | undefined;
      /** Records the verifier applied. */
      readonly applied: number;
    }
  | { readonly type: 'applied'; readonly sid: string; readonly at: number };

let verifier: Verifier | undefined;
let consumer: IdleConsumer | undefined;
let requests: () => number = () => 0;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function onRevoked(rule: RevocationRule): void {
  if (rule.kind === 'session')
    reply<IdleWorkerReply>({ type: 'applied', sid: rule.target, at: wallClockMs() });
}

listen<IdleWorkerRequest>(async (message) => {
  switch (message.type) {
    case 'init': {
      requests = countBrokerRequests();
      if (message.kind === 'verifier' || message.kind === 'installed') {
        const key = await createBenchKey();
        verifier = benchVerifier({
          jwks: keySet(key),
          brokers: message.brokers,
          topic: message.topic,
          clientId: `bench-b7-${message.name}`,
        });
        verifier.onRevoked(onRevoked);
        await verifier.ready();
      } else if (message.kind === 'kafkajs') {
        consumer = await idleConsumer(message.brokers, message.topic, `bench-b7-${message.name}`);
      }
      reply<IdleWorkerReply>({
        type: 'ready',
        verifierUrl: import.meta.resolve('@revocation-fabric/verifier'),
      });
      break;
    }
    case 'sample':
      reply<IdleWorkerReply>({
        type: 'sample',
        cpuMs: cpuMs(),
        socketRequests: requests(),
        kafkajsRequests: consumer?.requests(),
        applied: verifier?.stats().applied ?? 0,
      });
      break;
    case 'stop':
      await verifier?.close();
      await consumer?.close();
      process.exit(0);
  }
});
process.on('uncaughtException', fail);
