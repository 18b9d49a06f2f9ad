/**
 * How far the feed has read each partition, and whether the startup replay is done. Kept apart
 * from the Kafka client: it is plain offset arithmetic, the heart of "never ready too early".
 */

/** Progress of one partition. */
export interface PartitionProgress {
  /** Next offset to apply: every record below it has been applied (or skipped as poison). */
  next: number;
  /** Latest high-water mark seen. */
  high: number;
}

/** Offsets per partition, and the marks the startup replay must reach. */
export class ReplayProgress {
  readonly #partitions = new Map<number, PartitionProgress>();
  /** Partition → offset the startup replay must reach (its high-water mark at start). */
  #targets: Map<number, number> | undefined;

  /** The progress of a partition, created at offset `next` when first seen. */
  of(partition: number, next = 0): PartitionProgress {
    let progress = this.#partitions.get(partition);
    if (progress === undefined) {
      progress = { next, high: next };
      this.#partitions.set(partition, progress);
    }
    return progress;
  }

  /** Every partition with its progress. */
  entries(): IterableIterator<[number, PartitionProgress]> {
    return this.#partitions.entries();
  }

  /** The targets have been captured. */
  hasTargets(): boolean {
    return this.#targets !== undefined;
  }

  /** The targets, for logging. */
  targets(): Readonly<Record<number, number>> {
    return Object.fromEntries(this.#targets ?? []);
  }

  /**
   * Records every partition's offsets at start: the replay must read up to `high` wherever
   * there is anything to read (`high > low`).
   */
  captureTargets(offsets: readonly { partition: number; low: number; high: number }[]): void {
    const targets = new Map<number, number>();
    for (const { partition, high, low } of offsets) {
      this.of(partition, low).high = high;
      if (high > low) targets.set(partition, high);
    }
    this.#targets = targets;
  }

  /** Records below a partition's start offset are gone (retention): there is nothing to read. */
  skipBelow(partition: number, low: number): void {
    const progress = this.of(partition, 0);
    progress.next = Math.max(progress.next, low);
  }

  /** Every captured target has been reached. */
  replayed(): boolean {
    if (this.#targets === undefined) return false;
    for (const [partition, target] of this.#targets) {
      const progress = this.#partitions.get(partition);
      if (progress === undefined || progress.next < target) return false;
    }
    return true;
  }

  /** Records not yet applied, per partition. */
  lagByPartition(): Record<number, number> {
    const lag: Record<number, number> = {};
    for (const [partition, { next, high }] of this.#partitions) {
      lag[partition] = Math.max(0, high - next);
    }
    return lag;
  }
}
