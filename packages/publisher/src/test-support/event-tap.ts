/**
 * Reads every event of a revocation topic from its start, to check what the relay delivered.
 * Test support only: the package's one Kafka-client file is kafka/kafka-publisher.ts; this
 * consumer is the tests' independent witness of what reached the topic.
 */
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { waitFor } from '@revocation-fabric/testkit';

/** The run's brokers, from the integration project's globalSetup. */
export function kafkaBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (brokers === undefined || brokers === '') {
    throw new Error('KAFKA_BROKERS is not set: run through the vitest integration project');
  }
  return brokers.split(',');
}

/** A consumer collecting a topic's events. */
export class EventTap {
  readonly events: RevocationEvent[] = [];
  private readonly offsets = new Map<number, bigint>();

  private constructor(
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
    private readonly topic: string,
  ) {}

  /** Subscribes (with a group of its own) and starts collecting. */
  static async start(brokers: readonly string[], topic: string): Promise<EventTap> {
    const kafka = new Kafka({
      clientId: 'publisher-test-tap',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 20, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const consumer = kafka.consumer({
      groupId: `tap-${randomBytes(6).toString('hex')}`,
      maxWaitTimeInMs: 100,
    });
    const tap = new EventTap(kafka, consumer, topic);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        tap.offsets.set(partition, BigInt(message.offset));
        if (message.value !== null) tap.events.push(decodeEvent(message.value));
        return Promise.resolve();
      },
    });
    return tap;
  }

  /** Waits until every id has been received; returns those events in arrival order. */
  async waitForIds(ids: readonly string[], timeoutMs = 30_000): Promise<RevocationEvent[]> {
    const wanted = new Set(ids);
    await waitFor(() => [...wanted].every((id) => this.events.some((e) => e.id === id)), {
      timeoutMs,
      description: `${wanted.size} events on ${this.topic}`,
    });
    return this.events.filter((e) => wanted.has(e.id));
  }

  /** Waits until the tap has read everything on the topic right now. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topic);
      await waitFor(
        () =>
          ends.every(
            ({ partition, high }) =>
              BigInt(high) === 0n || (this.offsets.get(partition) ?? -1n) >= BigInt(high) - 1n,
          ),
        { timeoutMs, description: `tap caught up on ${this.topic}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
