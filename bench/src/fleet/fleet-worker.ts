/**
 * B10 worker: a share of the fleet — several verifiers in one process, each with its own feed
 * (its own kafkajs clients, connections and consumer group) exactly as a pod has; or, as a host
 * with a relay, one relay (one consumer) and the verifiers reading from it. It reports its
 * CPU and the requests it wrote to the brokers, and, per session rule the parent publishes, when
 * the first and the last of its verifiers applied it (the parent wants the farthest of all).
 */
import type { RevocationRule } from '@revocation-fabric/protocol';
import type { Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { createRevocationRelay } from '@revocation-fabric/verifier/relay';
import type { RevocationRelay } from '@revocation-fabric/verifier/relay';
import { benchVerifier } from '../lib/bench-verifier.js';
import { MAX_TOKEN_LIFETIME_MS, feedSecurity } from '../lib/kafka.js';
import { countBrokerRequests } from '../lib/broker-requests.js';
import { wallClockMs } from '../lib/clock.js';
import { createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';

export type FleetWorkerRequest =
  | {
      readonly type: 'init';
      /** Prefix of the verifiers' client ids (and so of their consumer groups). */
      readonly clientIdPrefix: string;
      readonly verifiers: number;
      readonly brokers: readonly string[];
      readonly topic: string;
      /**
       * The process is a host with a relay: one Kafka consumer (the relay's), and the
       * verifiers read from it over loopback HTTP.
       */
      readonly relay: boolean;
    }
  | { readonly type: 'sample' }
  | { readonly type: 'stop' };

export type FleetWorkerReply =
  | {
      readonly type: 'ready';
      /** From init until every verifier of the process was ready, ms. */
      readonly readyMs: number;
    }
  | {
      readonly type: 'sample';
      /** `process.cpuUsage()` user + system, ms. */
      readonly cpuMs: number;
      /** Writes to the brokers since init (one per Kafka request). */
      readonly socketRequests: number;
      /** Records applied, summed over the process's verifiers. */
      readonly applied: number;
    }
  | {
      readonly type: 'applied';
      readonly sid: string;
      /** When the first and the last verifier of this process applied it (wall clock, ms). */
      readonly first: number;
      readonly last: number;
    };

let verifiers: Verifier[] = [];
let relay: RevocationRelay | undefined;
let requests: () => number = () => 0;
/** Per session rule: how many of this process's verifiers applied it, and when the first did. */
const seen = new Map<string, { count: number; first: number }>();

function onRevoked(rule: RevocationRule): void {
  if (rule.kind !== 'session') return;
  const at = wallClockMs();
  const entry = seen.get(rule.target) ?? { count: 0, first: at };
  entry.count += 1;
  if (entry.count < verifiers.length) {
    seen.set(rule.target, entry);
    return;
  }
  seen.delete(rule.target);
  reply<FleetWorkerReply>({ type: 'applied', sid: rule.target, first: entry.first, last: at });
}

listen<FleetWorkerRequest>(async (message) => {
  switch (message.type) {
    case 'init': {
      const started = performance.now();
      requests = countBrokerRequests();
      const key = await createBenchKey();
      let relayUrl: string | undefined;
      if (message.relay) {
        relay = createRevocationRelay({
          revocations: kafkaRevocations({
            brokers: [...message.brokers],
            topic: message.topic,
            clientId: `${message.clientIdPrefix}-relay`,
            ...feedSecurity(),
          }),
          listen: { port: 0 },
          maxTokenLifetimeMs: MAX_TOKEN_LIFETIME_MS,
        });
        const address = await relay.start();
        if (!('url' in address)) throw new Error('relay listens on a socket path');
        relayUrl = address.url;
      }
      verifiers = Array.from({ length: message.verifiers }, (_, i) =>
        benchVerifier({
          jwks: keySet(key),
          brokers: message.brokers,
          topic: message.topic,
          clientId: `${message.clientIdPrefix}-${i}`,
          ...(relayUrl === undefined ? {} : { relayUrl }),
        }),
      );
      for (const verifier of verifiers) verifier.onRevoked(onRevoked);
      await Promise.all(verifiers.map((verifier) => verifier.ready()));
      reply<FleetWorkerReply>({ type: 'ready', readyMs: performance.now() - started });
      break;
    }
    case 'sample': {
      const { user, system } = process.cpuUsage();
      reply<FleetWorkerReply>({
        type: 'sample',
        cpuMs: (user + system) / 1000,
        socketRequests: requests(),
        applied: verifiers.reduce((sum, verifier) => sum + verifier.stats().applied, 0),
      });
      break;
    }
    case 'stop':
      // close() deletes each verifier's consumer group: the next fleet size starts from none.
      await Promise.allSettled(verifiers.map((verifier) => verifier.close()));
      await relay?.close();
      process.exit(0);
  }
});
process.on('uncaughtException', fail);
