/**
 * What the feed needs from a Kafka client, in the feed's own terms: the seam between the
 * client-free pieces (supervisor, replay tracker, delivery) and the one file that imports the
 * client (`kafkajs-client.ts`). Tests drive the pieces through a double of these interfaces,
 * never of the client itself.
 */
import type { DescribeTopicConfigsAnswer } from '@revocation-fabric/protocol';
import type { RevocationRecord } from './record-delivery.js';

/** One partition's offsets, as an admin client reports them. */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  /** The partition's start offset: records below it are gone (retention). */
  readonly low: number;
  /** The high-water mark: the offset the next record will get. */
  readonly high: number;
}

/** A position in a partition. */
export interface PartitionPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** The records of one partition that one fetch returned, with what the client needs back. */
export interface RecordBatch {
  readonly topic: string;
  readonly partition: number;
  /** The partition's high-water mark when it was fetched. */
  readonly highWatermark: number;
  /** The records, in offset order. */
  readonly records: readonly RevocationRecord[];
  /** False once the consumer stops or loses the partition: stop delivering at once. */
  active(): boolean;
  /** Marks every record up to `offset` as consumed. */
  resolveOffset(offset: number): void;
  /** Tells the group the consumer is alive (a long batch must not cost the membership). */
  heartbeat(): Promise<void>;
}

/** What a consumer reports while it runs; each handler is called by the client, must not throw. */
export interface ConsumerEvents {
  /** A fetch was answered or a heartbeat went through: the broker was heard from. */
  contact(): void;
  /** The consumer joined its group; `seek` moves a partition's next fetch to an offset. */
  joined(seek: (position: PartitionPosition) => void): void;
  /** A batch of a partition is about to be processed. */
  batchStarting(topic: string, partition: number, highWatermark: number): void;
  /**
   * A batch without records (only transaction markers) was processed up to `lastOffset`: the
   * position moved though nothing was delivered.
   */
  emptyBatchEnded(topic: string, partition: number, lastOffset: number): void;
  /** The consumer crashed; `restarting` when the client restarts it by itself. */
  crashed(error: unknown, restarting: boolean): void;
  /** Records to deliver; the next batch of the partition waits for the promise. */
  batch(batch: RecordBatch): Promise<void>;
}

/** What a consumer is created with. */
export interface FeedConsumerOptions {
  /** Its consumer group: one of its own, so that it reads every partition (broadcast). */
  readonly groupId: string;
  readonly events: ConsumerEvents;
  /**
   * Asked after a failure the client deems retriable: true lets the client restart the
   * consumer itself; false makes it crash for good (`crashed(error, false)`).
   */
  readonly mayRestart: () => boolean;
}

/**
 * One consumer of the feed's topics, reading from their beginning. What it commits is a receipt
 * for operators (see applied-receipts.ts), never read back: the blocklist lives in memory and
 * is rebuilt by replay.
 */
export interface FeedConsumer {
  connect(): Promise<void>;
  /** Subscribes to the feed's topics, from their beginning. */
  subscribe(): Promise<void>;
  /** Starts fetching; resolves once the fetch loop runs (batches arrive through `events`). */
  run(): Promise<void>;
  /** Commits positions (each the next offset to read) as the group's offsets. */
  commitOffsets(positions: readonly PartitionPosition[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** An admin connection, for what the consumer cannot tell: offsets, settings, groups. */
export interface FeedAdmin {
  connect(): Promise<void>;
  /** Every partition's offsets, of every topic the feed reads. */
  partitionOffsets(): Promise<PartitionOffsets[]>;
  /** The cluster's id: offsets mean something only within one cluster. */
  clusterId(): Promise<string>;
  /** The retention settings of the feed's topics (DescribeConfigs). */
  describeRetention(): Promise<DescribeTopicConfigsAnswer>;
  deleteGroups(groupIds: readonly string[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** Creates consumers: all the consumer supervisor needs of a client. */
export interface ConsumerFactory {
  consumer(options: FeedConsumerOptions): FeedConsumer;
}

/** A Kafka client bound to the feed's brokers, credentials and topics. */
export interface FeedClient extends ConsumerFactory {
  /** An admin connection; `retries` bounds the client's retries of each request. */
  admin(options?: { readonly retries?: number | undefined }): FeedAdmin;
}
