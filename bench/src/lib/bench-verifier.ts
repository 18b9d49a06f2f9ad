/**
 * The verifier every benchmark worker measures: ES256, the bench issuer and audience unless a
 * worker names others, fed by the revocation topic with the environment's Kafka credentials.
 */
import { createVerifier } from '@revocation-fabric/verifier';
import type { SingleIssuerVerifierOptions, Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { relayRevocations } from '@revocation-fabric/verifier/relay';
import { feedSecurity } from './kafka.js';
import { BENCH_AUDIENCE, BENCH_ISSUER } from './tokens.js';
import { BENCH_BRAKE_KEYS } from './brake-key.js';

/** Where the worker's verifier reads revocations, and what else it sets. */
export interface BenchVerifierOptions extends Partial<
  Omit<SingleIssuerVerifierOptions, 'revocations'>
> {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Kafka client id; its consumer group is derived from it. */
  readonly clientId: string;
  readonly jwks: SingleIssuerVerifierOptions['jwks'];
  /**
   * The feed's snapshot directory (`kafkaRevocations({ snapshot: { directory } })`): the
   * blocklist and the offsets it reflects are written there on close and loaded on start, so
   * only the tail is replayed. Absent: a full replay.
   */
  readonly snapshotDirectory?: string;
  /**
   * Read revocations from the host's relay at this URL (`relayRevocations`) instead of from
   * Kafka; `brokers`, `topic` and `clientId` are then the relay's business.
   */
  readonly relayUrl?: string;
}

/** Creates a benchmark worker's verifier (not yet ready). */
export function benchVerifier(options: BenchVerifierOptions): Verifier {
  const { brokers, topic, clientId, snapshotDirectory, relayUrl, ...rest } = options;
  return createVerifier({
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
    algorithms: ['ES256'],
    // The rule topics' global cutoff is signed with the benchmark's brake key.
    authority: { brakeKeys: BENCH_BRAKE_KEYS },
    ...rest,
    revocations:
      relayUrl !== undefined
        ? relayRevocations({ url: relayUrl })
        : kafkaRevocations({
            brokers: [...brokers],
            topic,
            clientId,
            ...feedSecurity(),
            ...(snapshotDirectory === undefined
              ? {}
              : { snapshot: { directory: snapshotDirectory } }),
          }),
  });
}
