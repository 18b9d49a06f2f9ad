/**
 * Reads every event of the revocation topic from its start, to check what the service's relay
 * delivered: the tests' independent witness of what reached the topic (the testkit's tap).
 * Not part of the service build (see tsconfig.json).
 */
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicTap } from '@revocation-fabric/testkit';
import type { TopicTap } from '@revocation-fabric/testkit';

/** A consumer collecting the revocation topic's events. */
export type EventTap = TopicTap<RevocationEvent>;

/** Starts an {@link EventTap}. */
export const EventTap = {
  start: (brokers: readonly string[], topic: string): Promise<EventTap> =>
    startTopicTap(brokers, topic, {
      clientId: 'user-service-test-tap',
      decode: decodeEvent,
      idOf: (event) => event.id,
    }),
};
