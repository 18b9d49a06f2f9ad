/**
 * Marking published events as sent, coalesced: the relay remembers what the broker has
 * acknowledged and writes `sent_at` for all of it in one statement at most every
 * `markIntervalMs` (and whenever it runs out of work, and when it stops).
 *
 * Why: each mark is a commit, and a commit waits for the disk (on SQLite it also blocks the
 * event loop). One mark per publish costs the issuer as many flushes as it has publishes — a
 * profile of the user-service under 1,000 logouts/s put more of its time there than in the
 * logouts' own commits. Losing marks is harmless: an event acknowledged but not yet marked
 * when the process dies is published again by the next leader, and rules merge idempotently.
 *
 * Until its mark is written an acknowledged event stays unsent in the table, so the relay
 * skips the ids it holds here when it reads the next batch (an id filter, not a cursor: with
 * concurrent writers a lower id can commit after a higher one).
 */
import { markSent } from '../outbox/outbox-rows.js';
import type { OutboxExecutor } from '../outbox/outbox-table.js';

/** Most acknowledged ids held before a mark is written regardless of the interval. */
export const MAX_HELD_MARKS = 1_000;

/** Acknowledged, not yet marked events of one leadership term. */
export class SentMarks {
  readonly #intervalMs: number;
  readonly #ids = new Set<number>();
  #lastAckAt = 0;
  #lastFlushAt: number;

  constructor(intervalMs: number, now: number) {
    this.#intervalMs = intervalMs;
    this.#lastFlushAt = now;
  }

  /** How many acknowledged events wait for their mark. */
  get size(): number {
    return this.#ids.size;
  }

  /** Whether `id` was acknowledged and waits for its mark. */
  has(id: number): boolean {
    return this.#ids.has(id);
  }

  /** Records events the broker acknowledged at `ackAt` (ms). */
  add(ids: readonly number[], ackAt: number): void {
    for (const id of ids) this.#ids.add(id);
    this.#lastAckAt = ackAt;
  }

  /** Whether a mark is due at `now`: the interval has passed or too many are held. */
  due(now: number): boolean {
    return (
      this.#ids.size > 0 &&
      (now - this.#lastFlushAt >= this.#intervalMs || this.#ids.size >= MAX_HELD_MARKS)
    );
  }

  /**
   * Writes the held marks in one statement. `sent_at` is the last acknowledgement's time, so
   * a row's `sent_at` may be up to one interval later than its own acknowledgement (it only
   * decides when the purge may delete the row).
   */
  async flush<DB>(db: OutboxExecutor<DB>, now: number): Promise<void> {
    this.#lastFlushAt = now;
    if (this.#ids.size === 0) return;
    const ids = [...this.#ids];
    await markSent(db, ids, this.#lastAckAt);
    for (const id of ids) this.#ids.delete(id);
  }
}
