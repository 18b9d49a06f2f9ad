/**
 * Reads every event of the revocation topic from its start, to check what the service's relay
 * delivered: the tests' independent witness of what reached the topic, read through the
 * testkit's topic reader (the service imports no Kafka client; its relay is the publisher's).
 * Not part of the service build (see tsconfig.json).
 */
import { randomBytes } from 'node:crypto';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicReader, waitFor } from '@revocation-fabric/testkit';
import type { TopicReader, TopicRecord } from '@revocation-fabric/testkit';

/** A consumer collecting the revocation topic's events. */
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
      clientId: 'user-service-test-tap',
      groupId: `tap-${randomBytes(6).toString('hex')}`,
      // Patient: the broker is shared with the other test files of the run.
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
