/**
 * Password change: the new hash, a subject cutoff that ends every other session, and a fresh
 * token pair for the current session — all in one transaction. The current session survives
 * with new tokens; its old access token dies with the cutoff like every other, and its old
 * refresh tokens are deleted (presenting one later is merely invalid, not "reuse").
 */
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import {
  assertNotThrottled,
  clearAccountFailures,
  recordLoginFailure,
  throttleKeys,
} from '../accounts/login-throttle.js';
import { findUserById } from '../accounts/users.js';
import type { TokenPair } from '../tokens/issue-tokens.js';
import { issueTokens } from '../tokens/issue-tokens.js';
import { cutOffSubjectWithin } from './revoke-subject.js';
import { inRevocationTransaction } from './transaction.js';

/** A password change by the signed-in user. */
export interface PasswordChange {
  readonly userId: string;
  /** The session the request came from; it is kept. */
  readonly sessionId: string;
  readonly currentPassword: string;
  readonly newPassword: string;
  readonly clientAddress: string;
}

/**
 * Changes the password and re-issues the current session's tokens.
 *
 * @throws {@link UserServiceError} `invalid_credentials` for a wrong current password,
 *   `login_throttled` after too many, `unauthorized` if the session ended meanwhile.
 */
export async function changePassword(
  ctx: ServiceContext,
  change: PasswordChange,
): Promise<TokenPair> {
  const user = await findUserById(ctx.store.db, change.userId);
  if (user === undefined)
    throw new UserServiceError({ code: 'UNAUTHORIZED', message: 'no such account' });
  const keys = throttleKeys(user.username, change.clientAddress);
  await assertNotThrottled(ctx, keys);
  if (!(await ctx.hasher.verify(user.passwordHash, change.currentPassword))) {
    await recordLoginFailure(ctx, keys);
    throw new UserServiceError({
      code: 'INVALID_CREDENTIALS',
      message: 'current password is wrong',
    });
  }
  await clearAccountFailures(ctx, keys);
  const passwordHash = await ctx.hasher.hash(change.newPassword);

  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async (tx) => {
    const { trx } = tx;
    const session = await trx
      .selectFrom('sessions')
      .select(['id', 'authTime', 'revokedAt'])
      .where('id', '=', change.sessionId)
      .where('userId', '=', change.userId)
      .executeTakeFirst();
    if (session === undefined || session.revokedAt !== null) return undefined;
    await trx
      .updateTable('users')
      .set({ passwordHash, updatedAt: now })
      .where('id', '=', change.userId)
      .execute();
    await cutOffSubjectWithin(
      tx,
      {
        userId: change.userId,
        reason: 'password-change',
        actor: change.userId,
        endSessions: true,
        keepSession: session.id,
      },
      now,
    );
    await trx.deleteFrom('refreshTokens').where('sessionId', '=', session.id).execute();
    // Changing the password proves it again: the kept session's auth_time moves to now.
    await trx
      .updateTable('sessions')
      .set({ authTime: now, lastUsedAt: now })
      .where('id', '=', session.id)
      .execute();
    const updated = await findUserById(trx, change.userId);
    if (updated === undefined) return undefined;
    return issueTokens(ctx, trx, updated, { id: session.id, authTime: now }, now);
  });
  if (result === undefined)
    throw new UserServiceError({ code: 'UNAUTHORIZED', message: 'session has ended' });
  return result;
}
