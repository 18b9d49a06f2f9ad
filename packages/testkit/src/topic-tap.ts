/**
 * A test's independent witness of what reached a topic: a reader with a group of its own that
 * decodes every record from the start, so a test can wait for the items it expects and fail at
 * once on a record that does not decode (something wrote what it must not have).
 */
import { startTopicReader } from './lib/kafka-client.js';
import type { TopicReader, TopicRecord } from './lib/kafka-client.js';
import { uniqueTopic } from './unique-topic.js';
import { waitFor } from './wait-for.js';

/** Options of {@link startTopicTap}. */
export interface TopicTapOptions<T> {
  /** Client id, shown in broker logs. */
  readonly clientId: string;
  /** Decodes a record value; throwing marks the record undecodable. */
  readonly decode: (value: Buffer) => T;
  /** The id {@link TopicTap.waitForIds} waits for. */
  readonly idOf: (item: T) => string;
  /** Retries per request. Default: 20 (a tap rides out a shared or restarted broker). */
  readonly retries?: number | undefined;
  /** Longest wait between retries, ms. Default: 2 000. */
  readonly maxRetryTimeMs?: number | undefined;
}

/** What {@link startTopicTap} returns. */
export interface TopicTap<T> {
  /** Every decoded item so far, duplicates included, in arrival order. */
  readonly events: readonly T[];
  /**
   * Waits until an item with each id has arrived; returns those items in arrival order.
   *
   * @throws the first undecodable record's error, as soon as one is read.
   */
  waitForIds(ids: readonly string[], timeoutMs?: number): Promise<T[]>;
  /** Waits until everything on the topic when called has been read. */
  drain(timeoutMs?: number): Promise<void>;
  /** Disconnects. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a tap on `topic`.
 *
 * @example
 * ```ts
 * const tap = await startTopicTap(brokers, topic, {
 *   clientId: 'my-test-tap', decode: decodeEvent, idOf: (event) => event.id,
 * });
 * const [event] = await tap.waitForIds([id]);
 * await tap.stop();
 * ```
 */
export async function startTopicTap<T>(
  brokers: readonly string[],
  topic: string,
  options: TopicTapOptions<T>,
): Promise<TopicTap<T>> {
  const events: T[] = [];
  let undecodable: Error | undefined;
  const collect = (record: TopicRecord): void => {
    if (record.value === null) return;
    try {
      events.push(options.decode(record.value));
    } catch (error) {
      undecodable ??= new Error(
        `record ${record.partition}/${record.offset} of ${topic} does not decode`,
        { cause: error },
      );
    }
  };
  const healthy = (): void => {
    if (undecodable !== undefined) throw undecodable;
  };
  const reader: TopicReader = await startTopicReader(brokers, topic, {
    clientId: options.clientId,
    groupId: uniqueTopic('tap'),
    retries: options.retries ?? 20,
    maxRetryTimeMs: options.maxRetryTimeMs ?? 2_000,
    onRecord: collect,
  });
  return {
    events,
    waitForIds: async (ids, timeoutMs = 30_000) => {
      const wanted = new Set(ids);
      const has = (id: string): boolean => events.some((item) => options.idOf(item) === id);
      // An undecodable record ends the wait at once, and the check below fails with it.
      await waitFor(() => undecodable !== undefined || [...wanted].every(has), {
        timeoutMs,
        description: `${wanted.size} items on ${topic}`,
      });
      healthy();
      return events.filter((item) => wanted.has(options.idOf(item)));
    },
    drain: async (timeoutMs = 30_000) => {
      await reader.caughtUp(timeoutMs);
      healthy();
    },
    stop: () => reader.close(),
  };
}
