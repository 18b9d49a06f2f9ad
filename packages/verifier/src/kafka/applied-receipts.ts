/**
 * Receipts: the position this verifier has applied, committed as its own consumer group's
 * offsets, so that an operator (the CLI, the console, a `Prefer: wait=applied` request) can
 * tell which live verifiers have applied an event — its offset is below the group's committed
 * offset — without asking any verifier. The offsets are never read back by the feed: every
 * start still replays (or resumes from a snapshot), a committed offset is a receipt, not state.
 *
 * Cost is bounded per verifier: nothing while idle (no position moved, no commit), and at most
 * one OffsetCommit every `intervalMs` while events flow. The first event after a quiet spell is
 * committed at once (a lone revocation gets its receipt within a round trip); later ones in the
 * interval are coalesced into one trailing commit, so a flood never costs a commit per record.
 */
import type { VerifierLogger } from '../logger.js';
import type { PartitionPosition } from './client.js';

/** Options of {@link AppliedReceipts}. */
export interface AppliedReceiptsOptions {
  /** Least time between two commits, ms. */
  readonly intervalMs: number;
  /** The applied positions now: the next offset to apply of each partition read past its start. */
  readonly positions: () => readonly PartitionPosition[];
  /**
   * Commits positions to the running consumer's group; resolves false when no consumer runs
   * (the positions are committed by a later call).
   */
  readonly commit: (positions: readonly PartitionPosition[]) => Promise<boolean>;
  readonly logger: VerifierLogger;
  readonly now: () => number;
}

/** Commits the applied position, throttled (leading and trailing edge). */
export class AppliedReceipts {
  readonly #options: AppliedReceiptsOptions;
  /** What was last committed, per `topic:partition`. */
  readonly #committed = new Map<string, number>();
  #lastCommitAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  /** A position moved while a commit was in flight: commit again once it is done. */
  #again = false;
  #stopped = false;
  #commits = 0;
  #failures = 0;

  constructor(options: AppliedReceiptsOptions) {
    this.#options = options;
  }

  /** How many commits went through. */
  get commits(): number {
    return this.#commits;
  }

  /** How many commits failed (a missing Read ACL on the group, the broker away). */
  get failures(): number {
    return this.#failures;
  }

  /** Positions moved (a batch was applied): commit now, or once the interval has passed. */
  applied(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    if (this.#inFlight !== undefined) {
      this.#again = true;
      return;
    }
    const wait = this.#lastCommitAt + this.#options.intervalMs - this.#options.now();
    if (wait <= 0) {
      this.#commitNow();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.applied();
    }, wait);
    this.#timer.unref();
  }

  /**
   * A consumer started running, perhaps in a new group that holds no receipt: everything is
   * committed again.
   */
  consumerRunning(): void {
    this.#committed.clear();
    this.#lastCommitAt = Number.NEGATIVE_INFINITY;
    this.applied();
  }

  /** Stops committing; a commit in flight is awaited. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  #commitNow(): void {
    const changed = this.#options
      .positions()
      .filter(
        ({ topic, partition, offset }) => this.#committed.get(`${topic}:${partition}`) !== offset,
      );
    if (changed.length === 0) return;
    this.#lastCommitAt = this.#options.now();
    this.#inFlight = this.#options
      .commit(changed)
      .then(
        (committed) => {
          if (!committed) return;
          this.#commits += 1;
          for (const { topic, partition, offset } of changed)
            this.#committed.set(`${topic}:${partition}`, offset);
        },
        (error: unknown) => {
          this.#failures += 1;
          // A lost receipt is harmless (the next one carries the position); it is not retried
          // at once, so a broker in trouble is not asked twice as often.
          this.#options.logger.debug({ err: error }, 'could not commit the applied position');
        },
      )
      .finally(() => {
        this.#inFlight = undefined;
        if (this.#again) {
          this.#again = false;
          this.applied();
        }
      });
  }
}
