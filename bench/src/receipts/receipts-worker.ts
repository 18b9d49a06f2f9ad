/**
 * B13 worker: a share of one arm's fleet — several verifiers in one process, each with its own
 * Kafka feed (its own kafkajs clients, connections and consumer group), receipts on or off. It
 * speaks B10's worker protocol (`sample`, `applied`), so B10's windows and revocation stream
 * measure it, and adds the receipts its feeds gave (FeedStats.receipts, counted client side).
 */
import type { RevocationRule } from '@revocation-fabric/protocol';
import { createVerifier } from '@revocation-fabric/verifier';
import type { RevocationFeed, Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { BENCH_BRAKE_KEYS } from '../lib/brake-key.js';
import { countBrokerRequests } from '../lib/broker-requests.js';
import { wallClockMs } from '../lib/clock.js';
import { feedSecurity } from '../lib/kafka.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import type { FleetWorkerReply } from '../fleet/fleet-worker.js';

export type ReceiptsWorkerRequest =
  | {
      readonly type: 'init';
      /** Prefix of the verifiers' client ids (and so of their consumer groups). */
      readonly clientIdPrefix: string;
      readonly verifiers: number;
      readonly brokers: readonly string[];
      readonly topic: string;
      /** `kafkaRevocations({ receipts })`: false, or the least time between two commits. */
      readonly receipts: false | { readonly intervalMs: number };
    }
  | { readonly type: 'sample' }
  | { readonly type: 'receipts' }
  | { readonly type: 'stop' };

export type ReceiptsWorkerReply =
  | FleetWorkerReply
  | {
      readonly type: 'receipts';
      /** Commits of the applied position, summed over the process's feeds since they started. */
      readonly commits: number;
    };

let verifiers: Verifier[] = [];
const feeds: RevocationFeed[] = [];
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
  reply<ReceiptsWorkerReply>({ type: 'applied', sid: rule.target, first: entry.first, last: at });
}

listen<ReceiptsWorkerRequest>(async (message) => {
  switch (message.type) {
    case 'init': {
      const started = performance.now();
      requests = countBrokerRequests();
      const key = await createBenchKey();
      verifiers = Array.from({ length: message.verifiers }, (_, i) => {
        const factory = kafkaRevocations({
          brokers: [...message.brokers],
          topic: message.topic,
          clientId: `${message.clientIdPrefix}-${i}`,
          receipts: message.receipts,
          ...feedSecurity(),
        });
        return createVerifier({
          issuer: BENCH_ISSUER,
          audience: BENCH_AUDIENCE,
          algorithms: ['ES256'],
          authority: { brakeKeys: BENCH_BRAKE_KEYS },
          jwks: keySet(key),
          // The feed is kept to read its receipts; the verifier exposes only `applied`.
          revocations: (context) => {
            const feed = factory(context);
            feeds.push(feed);
            return feed;
          },
        });
      });
      for (const verifier of verifiers) verifier.onRevoked(onRevoked);
      await Promise.all(verifiers.map((verifier) => verifier.ready()));
      reply<ReceiptsWorkerReply>({ type: 'ready', readyMs: performance.now() - started });
      break;
    }
    case 'sample': {
      const { user, system } = process.cpuUsage();
      reply<ReceiptsWorkerReply>({
        type: 'sample',
        cpuMs: (user + system) / 1000,
        socketRequests: requests(),
        applied: verifiers.reduce((sum, verifier) => sum + verifier.stats().applied, 0),
      });
      break;
    }
    case 'receipts':
      reply<ReceiptsWorkerReply>({
        type: 'receipts',
        commits: feeds.reduce((sum, feed) => sum + (feed.stats().receipts ?? 0), 0),
      });
      break;
    case 'stop':
      // close() deletes each verifier's consumer group: the next arm starts from none.
      await Promise.allSettled(verifiers.map((verifier) => verifier.close()));
      process.exit(0);
  }
});
process.on('uncaughtException', fail);
