/**
 * The absolute session lifetime (`SESSION_MAX_LIFETIME_SECONDS`): a session ends a fixed time
 * after its `auth_time` — the login, or the last password change, that proved the password —
 * however often it is refreshed.
 *
 * The end is counted from `auth_time` in whole seconds, as access tokens carry it, so it is a
 * whole second too: a token's `exp` can then be capped at exactly the session's end, and anyone
 * holding the claims can tell when the session ends (`auth_time` + the maximum lifetime).
 */

/**
 * When a session ends, in ms since the epoch: its `auth_time` (whole seconds) plus the maximum
 * lifetime. From that instant on it refreshes no more.
 *
 * @example
 * ```ts
 * sessionEnd(session.authTime, config.tokens.maxSessionLifetimeSeconds); // ms
 * ```
 */
export function sessionEnd(authTime: number, maxLifetimeSeconds: number): number {
  return (Math.floor(authTime / 1000) + maxLifetimeSeconds) * 1000;
}

/** Whether a session that authenticated at `authTime` has ended at `now` (both ms). */
export function sessionHasEnded(
  authTime: number,
  maxLifetimeSeconds: number,
  now: number,
): boolean {
  return now >= sessionEnd(authTime, maxLifetimeSeconds);
}

/**
 * The earliest `authTime` (ms) of a session still running at `now`: a session is running exactly
 * when its `authTime` is at least this. For database filters, which cannot floor per row.
 *
 * @example
 * ```ts
 * query.where('authTime', '>=', earliestRunningAuthTime(now, maxLifetimeSeconds));
 * ```
 */
export function earliestRunningAuthTime(now: number, maxLifetimeSeconds: number): number {
  // floor(a/1000) + max > now/1000  ⇔  floor(a/1000) ≥ floor(now/1000) − max + 1  ⇔  a ≥ that·1000
  return (Math.floor(now / 1000) - maxLifetimeSeconds + 1) * 1000;
}
