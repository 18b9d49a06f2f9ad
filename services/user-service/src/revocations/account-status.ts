/**
 * Bans, suspensions and unbans. Ban and suspend refuse new logins and refreshes and cut off
 * every token minted so far (reason `ban`). Unban publishes nothing: rules never un-revoke;
 * the user simply signs in again and gets tokens from after the cutoff.
 */
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { cutOffSubjectWithin } from './revoke-subject.js';
import { inRevocationTransaction } from './transaction.js';

/** A ban (until unbanned) or a suspension (until `until`, ms, or until lifted). */
export interface AccountRestriction {
  readonly userId: string;
  readonly actor: string;
  readonly kind: 'ban' | 'suspend';
  /** End of a suspension, ms since the epoch; ignored for bans. */
  readonly until?: number | undefined;
}

/**
 * Bans or suspends an account.
 *
 * @throws {@link UserServiceError} `not_found` when there is no such user.
 */
export async function restrictAccount(
  ctx: ServiceContext,
  restriction: AccountRestriction,
): Promise<void> {
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async (tx) => {
    const updated = await tx.trx
      .updateTable('users')
      .set({
        status: restriction.kind === 'ban' ? 'banned' : 'suspended',
        suspendedUntil: restriction.kind === 'suspend' ? (restriction.until ?? null) : null,
        updatedAt: now,
      })
      .where('id', '=', restriction.userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await cutOffSubjectWithin(
      tx,
      { userId: restriction.userId, reason: 'ban', actor: restriction.actor, endSessions: true },
      now,
    );
    return true;
  });
  if (!result) throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
}

/**
 * Lifts a ban or suspension. No event: nothing is un-revoked, new logins simply work.
 *
 * @throws {@link UserServiceError} `not_found` when there is no such user.
 */
export async function unrestrictAccount(ctx: ServiceContext, userId: string): Promise<void> {
  const updated = await ctx.store.db
    .updateTable('users')
    .set({ status: 'active', suspendedUntil: null, updatedAt: ctx.now() })
    .where('id', '=', userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0)
    throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
}
