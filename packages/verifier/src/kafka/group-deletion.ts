import type { VerifierLogger } from '../logger.js';
import type { FeedAdmin } from './client.js';

/** How long a feed's close waits for its consumer groups' deletion, ms. */
export const GROUP_DELETION_TIMEOUT_MS = 5_000;

/**
 * Pauses before each attempt to delete a retired group, ms (each drawn in ±50 % of it). The
 * first lets the retired member's LeaveGroup land; the later ones outlast a member that could
 * not leave (its disconnect failed while the broker was away), which the coordinator drops
 * only after its session timeout (kafkajs' default: 30 s). After the last, close() tries.
 */
export const RETIRED_GROUP_DELETION_DELAYS_MS: readonly number[] = [1_000, 5_000, 15_000, 40_000];

/**
 * Deletes the consumer groups a feed used, then disconnects the admin, within
 * `timeoutMs`. The groups hold no offsets and would expire on their own; deleting them keeps
 * the broker's group list free of one entry per restarted instance. Best effort: a failure is
 * logged (debug) and swallowed.
 *
 * @example
 * ```ts
 * await deleteConsumerGroups(client.admin({ retries: 1 }), supervisor.groupIds(), { logger });
 * ```
 */
export async function deleteConsumerGroups(
  admin: FeedAdmin,
  groupIds: readonly string[],
  options: { readonly logger: VerifierLogger; readonly timeoutMs?: number | undefined },
): Promise<void> {
  try {
    await deleteGroupsOnce(admin, groupIds, options.timeoutMs ?? GROUP_DELETION_TIMEOUT_MS);
  } catch (error) {
    options.logger.debug({ err: error, groupIds }, 'could not delete the consumer groups');
  }
}

/** One attempt: connects, deletes, disconnects; rejects when the deletion fails or times out. */
async function deleteGroupsOnce(
  admin: FeedAdmin,
  groupIds: readonly string[],
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      (async () => {
        await admin.connect();
        await admin.deleteGroups(groupIds);
      })(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

/** Options of {@link RetiredGroups}. */
export interface RetiredGroupsOptions {
  /** A fresh admin connection for one attempt (the feed's client, `retries: 1`). */
  readonly admin: () => FeedAdmin;
  readonly logger: VerifierLogger;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * Deletes, while the feed runs, the consumer groups it stopped using (a replaced consumer's
 * group), so the broker lists one live group per verifier rather than one per replacement
 * until close. Best effort: a group the coordinator refuses to delete yet (a member still in
 * it, the coordinator moving) is tried again later, and after the last attempt left to close().
 *
 * @example
 * ```ts
 * const retired = new RetiredGroups({ admin: () => client.admin({ retries: 1 }), logger });
 * retired.add(oldGroupId);
 * await retired.stop();
 * await deleteConsumerGroups(admin, retired.remaining(supervisor.groupIds()), { logger });
 * ```
 */
export class RetiredGroups {
  readonly #options: RetiredGroupsOptions;
  readonly #random: () => number;
  /** Groups waiting for an attempt, with the attempt's timer. */
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #deleted = new Set<string>();
  /** Groups an attempt is deleting now, and those of them added again meanwhile. */
  readonly #deleting = new Set<string>();
  readonly #addedAgain = new Set<string>();
  readonly #attempts = new Set<Promise<void>>();
  #stopped = false;

  constructor(options: RetiredGroupsOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  /**
   * The group has no member of this instance left and none will join it again: delete it soon.
   * A group added again (a retired consumer its client revived joined it anew) is deleted again.
   */
  add(groupId: string): void {
    if (this.#stopped) return;
    this.#deleted.delete(groupId);
    if (this.#deleting.has(groupId)) this.#addedAgain.add(groupId);
    else if (!this.#pending.has(groupId)) this.#schedule(groupId, 0);
  }

  /** Of `groupIds`, those not deleted yet: what close() still has to delete. */
  remaining(groupIds: readonly string[]): string[] {
    return groupIds.filter((groupId) => !this.#deleted.has(groupId));
  }

  /** Cancels the attempts to come and waits for those in flight. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    await Promise.all(this.#attempts);
  }

  #schedule(groupId: string, attempt: number): void {
    const delay = RETIRED_GROUP_DELETION_DELAYS_MS[attempt];
    if (delay === undefined) {
      this.#options.logger.debug({ groupId }, 'retired consumer group left for close to delete');
      return;
    }
    // ±50 %: a fleet that replaced its consumers after one outage deletes spread out.
    const timer = setTimeout(() => this.#attempt(groupId, attempt), delay * (0.5 + this.#random()));
    timer.unref();
    this.#pending.set(groupId, timer);
  }

  #attempt(groupId: string, attempt: number): void {
    this.#pending.delete(groupId);
    this.#deleting.add(groupId);
    const run = (async () => {
      let next: number | undefined;
      try {
        await deleteGroupsOnce(this.#options.admin(), [groupId], GROUP_DELETION_TIMEOUT_MS);
        this.#deleted.add(groupId);
        this.#options.logger.debug({ groupId }, 'deleted a retired consumer group');
      } catch (error) {
        // Not empty yet (a member that could not leave), or no coordinator at the moment.
        this.#options.logger.debug(
          { err: error, groupId, attempt },
          'could not delete a retired consumer group yet',
        );
        next = attempt + 1;
      } finally {
        this.#deleting.delete(groupId);
      }
      if (this.#addedAgain.delete(groupId)) {
        this.#deleted.delete(groupId);
        next = 0;
      }
      if (next !== undefined && !this.#stopped) this.#schedule(groupId, next);
    })();
    this.#attempts.add(run);
    void run.finally(() => this.#attempts.delete(run));
  }
}
