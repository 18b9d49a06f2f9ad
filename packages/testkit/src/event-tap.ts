/**
 * A consumer collecting every revocation event of a topic from its start: the tests'
 * independent witness of what a relay delivered (the topic tap, decoding with protocol's codec).
 */
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicTap } from './topic-tap.js';
import type { TopicTap } from './topic-tap.js';

/** A tap of revocation events. */
export type EventTap = TopicTap<RevocationEvent>;

/**
 * Starts an {@link EventTap} on `topic`.
 *
 * @example
 * ```ts
 * const tap = await startEventTap(kafkaBrokers(), 'auth.revocations', 'user-service-test-tap');
 * await tap.waitForIds([event.id]);
 * ```
 */
export function startEventTap(
  brokers: readonly string[],
  topic: string,
  clientId = 'revocation-test-tap',
): Promise<EventTap> {
  return startTopicTap(brokers, topic, {
    clientId,
    decode: decodeEvent,
    idOf: (event) => event.id,
  });
}
