/**
 * How far the feed has read each partition of each topic, and whether the startup replay is
 * done: plain offset arithmetic, the heart of "never ready too early". Client-free: it is told
 * what the consumer saw, and how to re-read the partitions' offsets.
 */
import type { VerifierLogger } from '../logger.js';
import type { PartitionOffsets, PartitionPosition } from './client.js';

/** How often the startup replay re-reads the partitions' start offsets (see `watch`), ms. */
export const REPLAY_WATCH_INTERVAL_MS = 5_000;

/** The key of a partition in stats and logs: `topic/partition`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

/**
 * The last record a snapshot reflects in a partition: a verifier resuming from the snapshot
 * reads it again and compares, so a topic deleted and recreated since (whose offsets restart)
 * is never mistaken for the one the snapshot was taken of.
 */
export interface SnapshotAnchor {
  readonly offset: number;
  /** The record's timestamp, ms. */
  readonly timestamp: number;
}

/** An anchor still to be read, and the offset to resume at once it matches. */
interface PendingAnchor extends SnapshotAnchor {
  readonly resumeAt: number;
}

/** Told whether a partition's anchor matched (see {@link SnapshotAnchor}). */
export type AnchorListener = (progress: PartitionProgress, matched: boolean) => void;

/** Progress of one partition. */
export class PartitionProgress {
  /** The topic the partition belongs to. */
  readonly topic: string;
  /** The partition number. */
  readonly partition: number;
  /** Next offset to apply: every record below it has been applied (or skipped as poison). */
  next: number;
  /** Latest high-water mark seen. */
  high: number;
  /** Offset of the last record applied, -1 before any: a snapshot's anchor. */
  lastOffset = -1;
  /** Timestamp (ms) of the last record applied. */
  lastTimestamp = 0;
  #anchor: PendingAnchor | undefined;
  readonly #onAnchor: AnchorListener;

  constructor(topic: string, partition: number, next: number, onAnchor: AnchorListener) {
    this.topic = topic;
    this.partition = partition;
    this.next = next;
    this.high = next;
    this.#onAnchor = onAnchor;
  }

  /** A snapshot's anchor is still to be read in this partition. */
  get anchorPending(): boolean {
    return this.#anchor !== undefined;
  }

  /**
   * Reads from a snapshot's anchor: the next record must be it, and then the partition
   * resumes at `resumeAt`, the snapshot's position.
   */
  expectAnchor(anchor: SnapshotAnchor, resumeAt: number): void {
    this.#anchor = { ...anchor, resumeAt };
    this.next = anchor.offset;
  }

  /**
   * Whether the record at `offset` is new: true moves the position past it, and the caller
   * applies it; false means it was applied before (a consumer restarted reads from the
   * beginning again, nothing being committed), so counters and notifications stay exact. With
   * an anchor pending, the first record read decides it and is not delivered: the anchor
   * itself (the snapshot holds it), or anything else (the listener drops the snapshot and has
   * every partition read again).
   */
  admit(offset: number, timestamp: number | string): boolean {
    if (offset < this.next) return false;
    const anchor = this.#anchor;
    if (anchor !== undefined) {
      this.#anchor = undefined;
      const matched = offset === anchor.offset && Number(timestamp) === anchor.timestamp;
      if (matched) {
        this.next = anchor.resumeAt;
        this.lastOffset = offset;
        this.lastTimestamp = anchor.timestamp;
      }
      // Either way the record is not delivered here: the snapshot holds it, or every
      // partition is read again from its start, this record included.
      this.#onAnchor(this, matched);
      return false;
    }
    this.next = offset + 1;
    this.lastOffset = offset;
    this.lastTimestamp = Number(timestamp);
    return true;
  }

  /** A fetch saw the partition's high-water mark at `high` (within one batch loop it only grows; `batchStarting` handles a recreated topic). */
  sawHigh(high: number): void {
    this.high = Math.max(this.high, high);
  }
}

/** Options of {@link ReplayTracker}. */
export interface ReplayTrackerOptions {
  readonly logger: VerifierLogger;
  /** Re-reads the partitions' offsets for the replay watch. */
  readonly readOffsets: () => Promise<readonly PartitionOffsets[]>;
  /** Called after each re-read of the offsets: the replay may be done now. */
  readonly onWatched: () => void;
  /** Told whether a snapshot's anchor matched. Default: nothing. */
  readonly onAnchor?: AnchorListener | undefined;
}

/** Where a snapshot left one partition, as saved with it. */
export interface SnapshotPosition extends PartitionPosition {
  /** The last record applied below `offset`; `null` when none was (only markers, or nothing). */
  readonly anchor: SnapshotAnchor | null;
}

/**
 * Offsets per partition of every topic read, and the marks the startup replay must reach: the
 * high-water marks captured at start. Records published after start do not move them.
 *
 * @example
 * ```ts
 * const tracker = new ReplayTracker({ logger, readOffsets: () => admin.partitionOffsets(), onWatched });
 * tracker.capture(await admin.partitionOffsets());
 * if (tracker.of(topic, partition).admit(offset)) deliver(record);
 * if (tracker.replayed()) ready();
 * ```
 */
export class ReplayTracker {
  readonly #options: ReplayTrackerOptions;
  readonly #partitions = new Map<string, PartitionProgress>();
  /** `topic/partition` → offset the startup replay must reach (its high-water mark at start). */
  #targets: Map<string, number> | undefined;
  #watch: NodeJS.Timeout | undefined;
  readonly #onAnchor: AnchorListener;

  constructor(options: ReplayTrackerOptions) {
    this.#options = options;
    this.#onAnchor = options.onAnchor ?? (() => {});
  }

  /** The progress of a partition, created at offset `next` when first seen. */
  of(topic: string, partition: number, next = 0): PartitionProgress {
    const key = partitionKey(topic, partition);
    let progress = this.#partitions.get(key);
    if (progress === undefined) {
      progress = new PartitionProgress(topic, partition, next, this.#onAnchor);
      this.#partitions.set(key, progress);
    }
    return progress;
  }

  /** The targets have been captured. */
  hasTargets(): boolean {
    return this.#targets !== undefined;
  }

  /** The targets, for logging. */
  targets(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#targets ?? []);
  }

  /**
   * Records every partition's offsets at start: the replay must read up to `high` wherever
   * there is anything to read (`high > low`).
   */
  capture(offsets: readonly PartitionOffsets[]): void {
    const targets = new Map<string, number>();
    for (const { topic, partition, high, low } of offsets) {
      this.of(topic, partition, low).high = high;
      if (high > low) targets.set(partitionKey(topic, partition), high);
    }
    this.#targets = targets;
  }

  /**
   * Where a consumer that (re)joined should resume: every partition read past its start.
   * Nothing was committed, so a restarted consumer would otherwise replay the whole topic.
   */
  resumePositions(): PartitionPosition[] {
    const positions: PartitionPosition[] = [];
    for (const { topic, partition, next } of this.#partitions.values()) {
      if (next !== 0) positions.push({ topic, partition, offset: next });
    }
    return positions;
  }

  /** Every partition's position with its anchor, for a snapshot taken now. */
  positions(): SnapshotPosition[] {
    return [...this.#partitions.values()].map(
      ({ topic, partition, next, lastOffset, lastTimestamp }) => ({
        topic,
        partition,
        offset: next,
        anchor: lastOffset < 0 ? null : { offset: lastOffset, timestamp: lastTimestamp },
      }),
    );
  }

  /** Snapshot anchors not read yet. */
  anchorsPending(): number {
    let pending = 0;
    for (const progress of this.#partitions.values()) if (progress.anchorPending) pending += 1;
    return pending;
  }

  /**
   * Forgets every position (a snapshot's anchor did not match): the partitions are read again
   * from their beginning, by a new consumer. The targets stay. A batch loop still holding an
   * old partition's progress admits into it alone.
   */
  restart(): void {
    this.#partitions.clear();
  }

  /**
   * A batch of a partition starts at high-water mark `high`. A mark below what was applied
   * means the topic was deleted and recreated: offsets restart, so ours are forgotten rather
   * than the new records skipped as duplicates.
   */
  batchStarting(topic: string, partition: number, high: number): void {
    const progress = this.of(topic, partition);
    if (high < progress.next) {
      this.#options.logger.warn(
        { topic, partition, high, next: progress.next },
        'revocation topic partition was truncated; re-reading it',
      );
      progress.next = 0;
    }
    progress.high = high;
  }

  /**
   * A batch of nothing but transaction markers ended at `lastOffset`: it carries no record yet
   * moves the position, or a partition ending in a marker would never count as replayed.
   */
  markersRead(topic: string, partition: number, lastOffset: number): void {
    const progress = this.of(topic, partition);
    progress.next = Math.max(progress.next, lastOffset + 1);
  }

  /** Records below a partition's start offset are gone (retention): there is nothing to read. */
  skipBelow(topic: string, partition: number, low: number): void {
    const progress = this.of(topic, partition, 0);
    progress.next = Math.max(progress.next, low);
  }

  /** Every captured target has been reached. */
  replayed(): boolean {
    if (this.#targets === undefined) return false;
    for (const [key, target] of this.#targets) {
      const progress = this.#partitions.get(key);
      if (progress === undefined || progress.next < target) return false;
    }
    return true;
  }

  /** Records not yet applied, per `topic/partition`. */
  lagByPartition(): Record<string, number> {
    const lag: Record<string, number> = {};
    for (const [key, { next, high }] of this.#partitions) {
      lag[key] = Math.max(0, high - next);
    }
    return lag;
  }

  /**
   * Re-reads the start offsets every {@link REPLAY_WATCH_INTERVAL_MS} until `stopWatch()`:
   * records below a partition's start can vanish under a replay (retention), and a target only
   * they could reach would never be. Idempotent.
   */
  watch(): void {
    if (this.#watch !== undefined) return;
    this.#watch = setInterval(() => void this.#reread(), REPLAY_WATCH_INTERVAL_MS);
    this.#watch.unref();
  }

  /** Stops the watch started by `watch()`. Idempotent. */
  stopWatch(): void {
    clearInterval(this.#watch);
    this.#watch = undefined;
  }

  async #reread(): Promise<void> {
    let offsets: readonly PartitionOffsets[];
    try {
      offsets = await this.#options.readOffsets();
    } catch (error) {
      this.#options.logger.debug(
        { err: error },
        'could not re-read partition offsets during replay',
      );
      return;
    }
    // Stopped while reading: the replay is done, or the feed closed.
    if (this.#watch === undefined) return;
    for (const { topic, partition, low } of offsets) this.skipBelow(topic, partition, low);
    this.#options.onWatched();
  }
}
