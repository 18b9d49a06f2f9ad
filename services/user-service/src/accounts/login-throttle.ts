/**
 * Login throttling per account and per client address, kept in the database so every instance
 * counts the same failures. A fixed window: after `max` failures within `window`, logins for
 * that key are refused until the window that began with the first failure ends. A successful
 * login clears the account's count (not the address's).
 *
 * Unknown usernames are counted exactly like known ones, so throttling reveals nothing about
 * which accounts exist.
 */
import { sql } from 'kysely';
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { normalizeUsername } from './users.js';

/** The two throttle keys of one attempt. */
export interface ThrottleKeys {
  readonly account: string;
  readonly address: string;
}

/** The throttle keys of a login attempt. */
export function throttleKeys(username: string, clientAddress: string): ThrottleKeys {
  return { account: `account:${normalizeUsername(username)}`, address: `address:${clientAddress}` };
}

/**
 * Refuses the attempt when either key is over its limit.
 *
 * @throws {@link UserServiceError} `login_throttled` with a `Retry-After` header.
 */
export async function assertNotThrottled(ctx: ServiceContext, keys: ThrottleKeys): Promise<void> {
  const { maxFailuresPerAccount, maxFailuresPerAddress, windowSeconds } = ctx.config.login;
  const windowMs = windowSeconds * 1000;
  const now = ctx.now();
  const rows = await ctx.store.db
    .selectFrom('loginThrottle')
    .select(['key', 'failures', 'windowStartedAt'])
    .where('key', 'in', [keys.account, keys.address])
    .where('windowStartedAt', '>', now - windowMs)
    .execute();
  let retryAfterMs = 0;
  for (const row of rows) {
    const limit = row.key === keys.account ? maxFailuresPerAccount : maxFailuresPerAddress;
    if (row.failures >= limit) {
      retryAfterMs = Math.max(retryAfterMs, Number(row.windowStartedAt) + windowMs - now);
    }
  }
  if (retryAfterMs > 0) {
    ctx.metrics.logins.inc({ outcome: 'throttled' });
    throw new UserServiceError({
      code: 'LOGIN_THROTTLED',
      message: 'too many failed logins; try again later',
      headers: { 'Retry-After': String(Math.ceil(retryAfterMs / 1000)) },
    });
  }
}

/** Counts one failed attempt against both keys. */
export async function recordLoginFailure(ctx: ServiceContext, keys: ThrottleKeys): Promise<void> {
  const now = ctx.now();
  const windowStart = now - ctx.config.login.windowSeconds * 1000;
  for (const key of [keys.account, keys.address]) {
    // One atomic upsert per key: a window that has ended starts over at 1.
    await ctx.store.db
      .insertInto('loginThrottle')
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end`,
          windowStartedAt: sql<number>`case when login_throttle.window_started_at <= ${windowStart} then ${now} else login_throttle.window_started_at end`,
        }),
      )
      .execute();
  }
}

/** Clears the account's failures after a successful login. */
export async function clearAccountFailures(ctx: ServiceContext, keys: ThrottleKeys): Promise<void> {
  await ctx.store.db.deleteFrom('loginThrottle').where('key', '=', keys.account).execute();
}
