/**
 * Capped exponential backoff with full jitter: the ceiling doubles after each failure up to
 * `maxMs`, and each delay is drawn uniformly below it, so instances that failed together do not
 * retry together.
 */
export class Backoff {
  private ceilingMs: number;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.ceilingMs = firstMs;
  }

  /** The next delay in ms (at least `floorMs`); raises the ceiling for the one after. */
  next(floorMs = 50): number {
    const delay = this.random() * this.ceilingMs;
    this.ceilingMs = Math.min(this.ceilingMs * 2, this.maxMs);
    return Math.max(floorMs, delay);
  }

  /** Back to the first delay, after a success. */
  reset(): void {
    this.ceilingMs = this.firstMs;
  }
}
