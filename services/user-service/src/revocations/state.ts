/**
 * The state changes revocations are made of, each inside the caller's transaction.
 */
import type { Executor } from '../db/schema.js';

/**
 * Marks a session revoked. Returns false when it was already revoked (or does not exist), so a
 * repeated request emits no second event.
 */
export async function revokeSessionRow(
  trx: Executor,
  sessionId: string,
  reason: string,
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('sessions')
    .set({ revokedAt: now, revokeReason: reason })
    .where('id', '=', sessionId)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Marks every live session of a user revoked, except `keep` if given. No session events are
 * needed: the subject cutoff committed alongside rejects their tokens, and a revoked session
 * refuses to refresh.
 */
export async function revokeSessionsOf(
  trx: Executor,
  userId: string,
  reason: string,
  now: number,
  keep?: string,
): Promise<number> {
  const result = await trx
    .updateTable('sessions')
    .set({ revokedAt: now, revokeReason: reason })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .$if(keep !== undefined, (q) => q.where('id', '!=', keep ?? ''))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Increments the user's generation and returns the new value. The UPDATE locks the user row
 * until commit, so the outbox row written after it in the same transaction is allocated after
 * any earlier cutoff of this user committed: per subject, outbox order is generation order.
 *
 * @returns undefined when there is no such user.
 */
export async function bumpSubjectGeneration(
  trx: Executor,
  userId: string,
  now: number,
): Promise<number | undefined> {
  const row = await trx
    .updateTable('users')
    .set((eb) => ({ generation: eb('generation', '+', 1), updatedAt: now }))
    .where('id', '=', userId)
    .returning('generation')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.generation);
}
