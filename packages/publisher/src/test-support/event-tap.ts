/**
 * Reads every event of a revocation topic from its start, to check what the relay delivered.
 * Test support only: the tests' independent witness of what reached the topic, read through the
 * testkit's topic reader (the package's one Kafka-client file stays kafka/kafka-publisher.ts).
 */
import { randomBytes } from 'node:crypto';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicReader, waitFor } from '@revocation-fabric/testkit';
import type { TopicReader, TopicRecord } from '@revocation-fabric/testkit';

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
  /** Every event read so far, duplicates included, in arrival order. */
  readonly events: RevocationEvent[] = [];
  private reader: TopicReader | undefined;
  /** A record that is not a valid event: the relay wrote something it must not have. */
  private undecodable: Error | undefined;

  private constructor(private readonly topic: string) {}

  /** Subscribes (with a group of its own) and starts collecting. */
  static async start(brokers: readonly string[], topic: string): Promise<EventTap> {
    const tap = new EventTap(topic);
    tap.reader = await startTopicReader(brokers, topic, {
      clientId: 'publisher-test-tap',
      groupId: `tap-${randomBytes(6).toString('hex')}`,
      // A tap started right after a broker restart must ride out its election.
      retries: 20,
      maxRetryTimeMs: 2_000,
      onRecord: (record) => tap.collect(record),
    });
    return tap;
  }

  /** Waits until every id has been received; returns those events in arrival order. */
  async waitForIds(ids: readonly string[], timeoutMs = 30_000): Promise<RevocationEvent[]> {
    const wanted = new Set(ids);
    // An undecodable record ends the wait at once, and the check below fails with it.
    await waitFor(() => this.undecodable !== undefined || [...wanted].every((id) => this.has(id)), {
      timeoutMs,
      description: `${wanted.size} events on ${this.topic}`,
    });
    this.healthy();
    return this.events.filter((e) => wanted.has(e.id));
  }

  /** Waits until the tap has read everything on the topic right now. */
  async drain(timeoutMs = 30_000): Promise<void> {
    await this.reader?.caughtUp(timeoutMs);
    this.healthy();
  }

  async stop(): Promise<void> {
    await this.reader?.close();
  }

  private collect(record: TopicRecord): void {
    if (record.value === null) return;
    try {
      this.events.push(decodeEvent(record.value));
    } catch (error) {
      this.undecodable ??= new Error(
        `record ${record.partition}/${record.offset} of ${this.topic} is not a revocation event`,
        { cause: error },
      );
    }
  }

  private has(id: string): boolean {
    return this.events.some((e) => e.id === id);
  }

  /** Throws once an undecodable record was read. */
  private healthy(): void {
    if (this.undecodable !== undefined) throw this.undecodable;
  }
}
