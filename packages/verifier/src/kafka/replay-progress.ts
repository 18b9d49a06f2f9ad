/**
 * How far the feed has read each partition of each topic, and whether the startup replay is
 * done. Kept apart from the Kafka client: it is plain offset arithmetic, the heart of "never
 * ready too early".
 */

/** Progress of one partition. */
export interface PartitionProgress {
  /** The topic the partition belongs to. */
  readonly topic: string;
  /** The partition number. */
  readonly partition: number;
  /** Next offset to apply: every record below it has been applied (or skipped as poison). */
  next: number;
  /** Latest high-water mark seen. */
  high: number;
}

/** One partition's offsets, as an admin client reports them. */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

/** The key of a partition in stats and logs: `topic/partition`. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

/** Offsets per partition of every topic read, and the marks the startup replay must reach. */
export class ReplayProgress {
  readonly #partitions = new Map<string, PartitionProgress>();
  /** `topic/partition` → offset the startup replay must reach (its high-water mark at start). */
  #targets: Map<string, number> | undefined;

  /** The progress of a partition, created at offset `next` when first seen. */
  of(topic: string, partition: number, next = 0): PartitionProgress {
    const key = partitionKey(topic, partition);
    let progress = this.#partitions.get(key);
    if (progress === undefined) {
      progress = { topic, partition, next, high: next };
      this.#partitions.set(key, progress);
    }
    return progress;
  }

  /** Every partition with its progress. */
  values(): IterableIterator<PartitionProgress> {
    return this.#partitions.values();
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
  captureTargets(offsets: readonly PartitionOffsets[]): void {
    const targets = new Map<string, number>();
    for (const { topic, partition, high, low } of offsets) {
      this.of(topic, partition, low).high = high;
      if (high > low) targets.set(partitionKey(topic, partition), high);
    }
    this.#targets = targets;
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
}
