/**
 * A broadcast reader of the revocation topic in client-neutral terms: what the client-choice
 * benchmark runs once with kafkajs (`kafka.ts`) and once with @platformatic/kafka
 * (`platformatic-kafka.ts`), each file the only one importing its client.
 *
 * Both are configured as the verifier's feed (`packages/verifier/src/kafka/kafkajs-client.ts`) is:
 * a consumer group of its own per instance (every instance reads every partition), nothing
 * committed, the topic read from its beginning, fetches long-polling `fetchWaitMs` at the broker
 * with `minBytes: 1`, and every partition's high-water mark captured before the first fetch so
 * the reader can tell when it has replayed the topic.
 */

/** The clients compared. */
export type KafkaClientName = 'kafkajs' | 'platformatic';

/**
 * The readers compared: kafkajs as the feed sets it up; @platformatic/kafka with the settings
 * the feed ends up with through kafkajs' defaults (fetch sizes, metadata age, group timeouts);
 * @platformatic/kafka with its own defaults for everything the feed does not set itself.
 */
export type ReaderKind = 'kafkajs' | 'platformatic' | 'platformatic-defaults';
export const READER_KINDS: readonly ReaderKind[] = [
  'kafkajs',
  'platformatic',
  'platformatic-defaults',
];

/** One record as the reader hands it on. */
export interface BroadcastRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** The record's timestamp, ms since the epoch. */
  readonly timestamp: number;
  readonly partition: number;
  readonly offset: number;
}

/** Options of a broadcast reader. */
export interface BroadcastConsumerOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  /** Client id; the consumer group is `<clientId>-<uuid>`. */
  readonly clientId: string;
  /** How long one fetch may wait at the broker, ms (the verifier's `fetchWaitMs`: 2,500). */
  readonly fetchWaitMs: number;
  /** Called with every record, in partition order. */
  readonly onRecord: (record: BroadcastRecord) => void;
}

/** A running broadcast reader. */
export interface BroadcastConsumer {
  /** Every partition's high-water mark captured before the first fetch. */
  readonly startMarks: ReadonlyMap<number, number>;
  /** Resolves once every partition was read up to its start mark (at once for an empty topic). */
  readonly replayed: Promise<void>;
  /**
   * Requests the client reports through its own instrumentation since it was created, by Kafka
   * API name (kafkajs: `consumer.events.REQUEST`; @platformatic/kafka: the
   * `plt:kafka:connections:api` diagnostics channel).
   */
  requestsByApi(): ReadonlyMap<string, number>;
  /** Warnings and errors the client logged or emitted (first few, then counted). */
  warnings(): readonly string[];
  /** Stops fetching, leaves and deletes the group. */
  close(): Promise<void>;
}

/** How many distinct warning lines a reader keeps. */
export const WARNINGS_KEPT = 20;

/**
 * Tracks the replay: records seen against the start marks. `seen(partition, offset)` for every
 * record; `done` resolves when every partition with records below its mark has reached it.
 */
export class ReplayTracker {
  readonly #remaining = new Map<number, number>();
  readonly done: Promise<void>;
  #finish: () => void = () => undefined;

  constructor(marks: ReadonlyMap<number, { readonly low: number; readonly high: number }>) {
    this.done = new Promise<void>((resolve) => {
      this.#finish = resolve;
    });
    for (const [partition, { low, high }] of marks) {
      if (high > low) this.#remaining.set(partition, high);
    }
    if (this.#remaining.size === 0) this.#finish();
  }

  seen(partition: number, offset: number): void {
    const target = this.#remaining.get(partition);
    if (target === undefined || offset + 1 < target) return;
    this.#remaining.delete(partition);
    if (this.#remaining.size === 0) this.#finish();
  }
}

/** Keeps the first {@link WARNINGS_KEPT} distinct lines and counts the rest. */
export class WarningLog {
  readonly #lines = new Map<string, number>();

  add(line: string): void {
    if (this.#lines.has(line) || this.#lines.size < WARNINGS_KEPT)
      this.#lines.set(line, (this.#lines.get(line) ?? 0) + 1);
  }

  lines(): readonly string[] {
    return [...this.#lines].map(([line, count]) => (count > 1 ? `${line} (×${count})` : line));
  }
}
