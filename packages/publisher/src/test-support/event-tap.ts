/**
 * Reads every event of a revocation topic from its start, to check what the relay delivered.
 * Test support only: the tests' independent witness of what reached the topic, the testkit's
 * tap (the package's one Kafka-client file stays kafka/kafka-publisher.ts).
 */
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicTap } from '@revocation-fabric/testkit';
import type { TopicTap } from '@revocation-fabric/testkit';

/** The run's brokers, from the integration project's globalSetup. */
export function kafkaBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (brokers === undefined || brokers === '') {
    throw new Error('KAFKA_BROKERS is not set: run through the vitest integration project');
  }
  return brokers.split(',');
}

/** A consumer collecting a topic's events. */
export type EventTap = TopicTap<RevocationEvent>;

/** Starts an {@link EventTap}. */
export const EventTap = {
  start: (brokers: readonly string[], topic: string): Promise<EventTap> =>
    startTopicTap(brokers, topic, {
      clientId: 'publisher-test-tap',
      decode: decodeEvent,
      idOf: (event) => event.id,
    }),
};
