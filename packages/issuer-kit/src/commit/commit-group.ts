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
 * A work may therefore run twice; what it gets says so ({@link CommitAttempt}): the transaction
 * of this attempt, and `afterCommit` for any effect beyond the database, which runs once, after
 * the commit of the attempt that succeeded (a rolled-back attempt's effects are dropped). A work
 * that finds nothing to do should return a value saying so rather than throw: a throw rolls
 * back and re-runs its whole batch. If the shared transaction itself fails (BEGIN, set-up,
 * COMMIT), every caller of the batch gets that error and nothing is re-run: a commit whose
 * answer was lost may have succeeded. Works must not rely on deferred constraints, which would
 * fail the commit for all.
 */
import type { Kysely, Transaction } from 'kysely';

/** What one attempt of a work gets. The work may be attempted twice; only one attempt commits. */
export interface CommitAttempt<DB> {
  /** This attempt's transaction (possibly shared with the works queued beside it). */
  readonly trx: Transaction<DB>;
  /**
   * Registers an effect beyond the database (a wake-up, a cache update): it runs once, after
   * the commit of this attempt, before the caller's promise settles; dropped if this attempt is
   * rolled back (the next attempt registers its own).
   */
  readonly afterCommit: (effect: () => void) => void;
}

/**
 * Database work of one caller, run inside the batch's transaction. It may run more than once,
 * so it acts beyond the database only through `afterCommit` and returns its result.
 */
export type CommitWork<DB, T> = (attempt: CommitAttempt<DB>) => Promise<T>;

interface Pending<DB> {
  readonly work: CommitWork<DB, unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** One attempt's result and the effects it registered. */
interface Attempted {
  readonly value: unknown;
  readonly effects: readonly (() => void)[];
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
  /** Called with the error of an `afterCommit` effect that threw (the work stays committed). */
  readonly effectFailed?: (error: unknown) => void;
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
 * const row = await group.run(({ trx }) =>
 *   trx.updateTable('sessions').set({ revokedAt: now }).where('id', '=', sid).execute(),
 * );
 * ```
 */
export class CommitGroup<DB> {
  readonly #db: Kysely<DB>;
  readonly #maxBatch: number;
  readonly #concurrency: number;
  readonly #prepareBatch: ((trx: Transaction<DB>) => Promise<void>) | undefined;
  readonly #effectFailed: (error: unknown) => void;
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
    this.#effectFailed = options.effectFailed ?? (() => undefined);
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
          const out: Attempted[] = [];
          for (const pending of batch) {
            try {
              out.push(await attempt(pending.work, trx));
            } catch (error) {
              workFailed = true;
              throw error;
            }
          }
          return out;
        });
        this.#commits += 1;
        this.#works += batch.length;
        batch.forEach((pending, i) => this.#settle(pending, results[i] as Attempted));
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
        const result = await this.#db.transaction().execute((trx) => attempt(pending.work, trx));
        this.#commits += 1;
        this.#works += 1;
        this.#settle(pending, result);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  /** Runs the committed attempt's effects, then settles its caller. */
  #settle(pending: Pending<DB>, attempted: Attempted): void {
    for (const effect of attempted.effects) {
      try {
        effect();
      } catch (error) {
        this.#effectFailed(error);
      }
    }
    pending.resolve(attempted.value);
  }
}

/** One attempt of `work` in `trx`, with the effects it registered. */
async function attempt<DB>(
  work: CommitWork<DB, unknown>,
  trx: Transaction<DB>,
): Promise<Attempted> {
  const effects: (() => void)[] = [];
  const value = await work({ trx, afterCommit: (effect) => void effects.push(effect) });
  return { value, effects };
}
