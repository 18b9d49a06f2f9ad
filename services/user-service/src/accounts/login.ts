/**
 * Password login. The answer for an unknown user and for a wrong password is the same error,
 * after the same argon2id work; only a correct password for a disabled account is told apart
 * (whoever knows the password may learn that the account is disabled).
 */
import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import type { TokenPair } from '../tokens/issue-tokens.js';
import { issueTokens } from '../tokens/issue-tokens.js';
import {
  assertNotThrottled,
  clearAccountFailures,
  recordLoginFailure,
  throttleKeys,
} from './login-throttle.js';
import { canSignIn, findUserById, findUserByUsername } from './users.js';

/** One login attempt. */
export interface LoginAttempt {
  readonly username: string;
  readonly password: string;
  /** The client's address, as the HTTP layer sees it (see `TRUST_PROXY`). */
  readonly clientAddress: string;
  readonly userAgent: string | undefined;
}

const INVALID = 'invalid username or password';

/**
 * Verifies a password and opens a new session.
 *
 * @throws {@link UserServiceError} `login_throttled`, `invalid_credentials` or `account_disabled`.
 */
export async function login(ctx: ServiceContext, attempt: LoginAttempt): Promise<TokenPair> {
  const keys = throttleKeys(attempt.username, attempt.clientAddress);
  await assertNotThrottled(ctx, keys);

  const user = await findUserByUsername(ctx.store.db, attempt.username);
  const valid =
    user === undefined
      ? await ctx.hasher.verifyNothing(attempt.password)
      : await ctx.hasher.verify(user.passwordHash, attempt.password);
  if (user === undefined || !valid) {
    await recordLoginFailure(ctx, keys);
    ctx.metrics.logins.inc({ outcome: 'invalid' });
    throw new UserServiceError({ code: 'INVALID_CREDENTIALS', message: INVALID });
  }
  await clearAccountFailures(ctx, keys);

  if (ctx.hasher.needsRehash(user.passwordHash)) {
    const passwordHash = await ctx.hasher.hash(attempt.password);
    await ctx.store.db
      .updateTable('users')
      .set({ passwordHash })
      .where('id', '=', user.id)
      .where('passwordHash', '=', user.passwordHash)
      .execute();
  }

  const now = ctx.now();
  const tokens = await ctx.store.db.transaction().execute(async (trx) => {
    // Re-read inside the transaction: a ban committed since the password check wins.
    const current = await findUserById(trx, user.id);
    if (current === undefined || !canSignIn(current, now)) return undefined;
    const session = { id: randomUUID(), authTime: now };
    await trx
      .insertInto('sessions')
      .values({
        id: session.id,
        userId: current.id,
        authTime: now,
        createdAt: now,
        lastUsedAt: now,
        revokedAt: null,
        revokeReason: null,
        userAgent: attempt.userAgent?.slice(0, 512) ?? null,
        clientAddress: attempt.clientAddress,
      })
      .execute();
    return issueTokens(ctx, trx, current, session, now);
  });
  if (tokens === undefined) {
    ctx.metrics.logins.inc({ outcome: 'disabled' });
    throw new UserServiceError({ code: 'ACCOUNT_DISABLED', message: 'this account is disabled' });
  }
  ctx.metrics.logins.inc({ outcome: 'success' });
  return tokens;
}
