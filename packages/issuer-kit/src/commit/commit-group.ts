/**
 * Group commit for the revocation transactions: the works that are waiting when a commit can
 * start run one after another inside ONE database transaction, which then commits once.
 *
 * Why: an answered revocation must survive a power cut, so every commit waits for the disk
 * (SQLite `synchronous = FULL`, PostgreSQL `synchronous_commit = on`). One fsync per logout caps
 * the issuer at the disk's flush rate — and on SQLite the flush blocks the event loop — just
 * when a logout wave or a mass ban needs it most. Sharing one commit among the works that
 * queued meanwhile keeps every answer durable and divides the flushes by the batch size; under
 * light load a batch holds one work and nothing changes. (Hand-written: this is the fabric's
 * own outbox path; neither Kysely nor the drivers offer a group commit.)
 *
 * Semantics, as if the works had run one by one in their own transactions, in arrival order:
 * a work sees the writes of the works before it in its batch; its promise settles only after
 * the batch's commit. If any work of a batch throws (or the commit fails), the batch is rolled
 * back and each of its works is run again alone, so one failure fails only its own caller.
 * Works must therefore be safe to run twice: database work only, results returned, no side
 * effects before the commit (the caller acts on the result after it settles). If the shared
 * transaction itself fails (BEGIN, set-up, COMMIT), every caller of the batch gets that error
 * and nothing is re-run: a commit whose answer was lost may have succeeded. Works must not rely
 * on deferred constraints, which would fail the commit for all.
 */
import type { Kysely, Transaction } from 'kysely';

/** Database work of one caller, run inside the batch's transaction. */
export type CommitWork<DB, T> = (trx: Transaction<DB>) => Promise<T>;

interface Pending<DB> {
  readonly work: CommitWork<DB, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Options of {@link CommitGroup}. */
export interface CommitGroupOptions<DB> {
  /**
   * Most works sharing one commit: bounds how long the first of them waits for the last.
   * Default 64.
   */
  readonly maxBatch?: number;
  /**
   * Batches in flight at once. 1 for SQLite (one connection, one writer); more for PostgreSQL,
   * whose pool can run several transactions while each waits for its round trips. Default 1.
   */
  readonly concurrency?: number;
  /**
   * Runs first in every shared transaction (not in a work's transaction of its own): e.g.
   * PostgreSQL's `SET LOCAL lock_timeout`, so a batch that waits for a row another batch holds
   * fails fast and splits instead of stalling every caller in it or deadlocking.
   */
  readonly prepareBatch?: (trx: Transaction<DB>) => Promise<void>;
}

/** Statistics of a {@link CommitGroup}, for metrics and tests. */
export interface CommitGroupStats {
  /** Transactions committed (batched or alone). */
  readonly commits: number;
  /** Works committed. */
  readonly works: number;
  /** Batches rolled back because a work or the commit failed, then retried work by work. */
  readonly splitBatches: number;
}

/**
 * Runs database works in shared transactions.
 *
 * @example
 * ```ts
 * const group = new CommitGroup(db);
 * const row = await group.run((trx) =>
 *   trx.updateTable('sessions').set({ revokedAt: now }).where('id', '=', sid).execute(),
 * );
 * ```
 */
export class CommitGroup<DB> {
  readonly #db: Kysely<DB>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  readonly #prepareBatch: ((trx: Transaction<DB>) => Promise<void>) | undefined;
  #queue: Pending<DB>[] = [];
  #scheduled = false;
  #inFlight = 0;
  #commits = 0;
  #works = 0;
  #splitBatches = 0;

  constructor(db: Kysely<DB>, options: CommitGroupOptions<DB> = {}) {
    const maxBatch = options.maxBatch ?? 64;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new TypeError(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
    }
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new TypeError(`concurrency must be a positive integer, got ${String(concurrency)}`);
    }
    this.#db = db;
    this.#maxBatch = maxBatch;
    this.#concurrency = concurrency;
    this.#prepareBatch = options.prepareBatch;
  }

  /** Runs `work` in a transaction shared with the works queued beside it; settles after commit. */
  run<T>(work: CommitWork<DB, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Counts since creation. */
  stats(): CommitGroupStats {
    return { commits: this.#commits, works: this.#works, splitBatches: this.#splitBatches };
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency) return;
    this.#scheduled = true;
    // After the current I/O phase: every request whose data arrived in it has queued its work
    // by then. (On SQLite a commit blocks the loop, so requests pile up during it and the next
    // batch collects them.)
    setImmediate(() => {
      this.#scheduled = false;
      this.#startBatches();
    });
  }

  #startBatches(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#concurrency) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight += 1;
      void this.#commit(batch).finally(() => {
        this.#inFlight -= 1;
        // What queued while this batch ran goes next, in one batch.
        if (this.#queue.length > 0) this.#startBatches();
      });
    }
  }

  async #commit(batch: readonly Pending<DB>[]): Promise<void> {
    if (batch.length > 1) {
      let workFailed = false;
      try {
        const results = await this.#db.transaction().execute(async (trx) => {
          await this.#prepareBatch?.(trx);
          const out: unknown[] = [];
          for (const pending of batch) {
            try {
              out.push(await pending.work(trx));
            } catch (error) {
              workFailed = true;
              throw error;
            }
          }
          return out;
        });
        this.#commits += 1;
        this.#works += batch.length;
        batch.forEach((pending, i) => pending.resolve(results[i]));
        return;
      } catch (error) {
        if (!workFailed) {
          // BEGIN, the batch set-up or COMMIT failed. A COMMIT whose answer was lost may have
          // committed, so running the works again could apply them twice (a refresh would meet
          // its own used token): every caller gets the error, as each would have alone.
          for (const pending of batch) pending.reject(error);
          return;
        }
        // A work failed and the batch was rolled back: run each alone, so that only the
        // failing caller sees its error.
        this.#splitBatches += 1;
      }
    }
    for (const pending of batch) {
      try {
        const result = await this.#db.transaction().execute((trx) => pending.work(trx));
        this.#commits += 1;
        this.#works += 1;
        pending.resolve(result);
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
