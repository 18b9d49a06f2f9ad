import type { RevocationFeedFactory } from '../feed.js';
import { KafkaRevocationFeed } from './kafka-feed.js';
import { resolveKafkaOptions } from './options.js';
import type { KafkaRevocationsOptions } from './options.js';

/**
 * The revocation feed over Kafka, for `createVerifier`'s `revocations` option. Options are
 * checked here, once; the consumer starts when the verifier does.
 *
 * Start: the high-water mark of every partition is captured, then the topic is replayed from
 * its beginning; the verifier is ready once every partition has been applied up to its mark.
 * Trouble: the consumer is restarted with backoff; poison records are skipped, counted by code
 * and logged (rate-limited). Staleness: every successful fetch or heartbeat counts as contact.
 *
 * @example
 * ```ts
 * import { createVerifier } from '@revocation-fabric/verifier';
 * import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
 *
 * const verifier = createVerifier({
 *   issuer, audience: 'game-service', algorithms: ['ES256'], jwks: { url },
 *   revocations: kafkaRevocations({ brokers: ['kafka-1:9092'], topic: 'auth.revocations' }),
 * });
 * ```
 * @throws TypeError naming the first invalid option.
 */
export function kafkaRevocations(options: KafkaRevocationsOptions): RevocationFeedFactory {
  const resolved = resolveKafkaOptions(options);
  return (context) => new KafkaRevocationFeed({ ...resolved, ...context });
}
