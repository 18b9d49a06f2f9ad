/**
 * Maximum authentication age (RFC 9470 step-up): a route that pays out or changes a password
 * may want a login more recent than a still-valid token proves. Judged here, once, for every
 * adapter, from the verified token's `auth_time` (OIDC Core §2: when the user last actively
 * authenticated) by the verifier's clock.
 */
import type { VerifiedToken } from './claims.js';
import { InsufficientUserAuthenticationError } from './errors.js';
import { describe, validateInteger } from './lib/validate.js';

/**
 * How recent the user's login must be: the options of express's and fastify's
 * `requireRecentAuth`, and of each event in socket.io's `recentAuthByEvent`.
 *
 * @example
 * ```ts
 * const payout: RecentAuthOptions = { maxAgeSeconds: 300 };
 * ```
 */
export interface RecentAuthOptions {
  /**
   * The longest time since the user's login (the token's `auth_time`) accepted, in seconds; a
   * positive integer. Required, no default. Sent back as `max_age` in the challenge, so the
   * client can ask the issuer for exactly that (OIDC `max_age`).
   */
  readonly maxAgeSeconds: number;
}

/**
 * Checks a {@link RecentAuthOptions}, once, where the guard is created.
 *
 * @param name - how the options are named in error messages (`requireRecentAuth(options)`).
 * @returns `maxAgeSeconds`.
 * @throws TypeError naming the option at fault.
 */
export function resolveMaxAuthAge(options: unknown, name: string): number {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${name} must be { maxAgeSeconds }, got ${describe(options)}`);
  }
  const { maxAgeSeconds } = options as Partial<RecentAuthOptions>;
  if (maxAgeSeconds === undefined) throw new TypeError(`${name}.maxAgeSeconds is required`);
  return validateInteger(maxAgeSeconds, 0, `${name}.maxAgeSeconds`, 1);
}

/**
 * Refuses a token whose login is more than `maxAgeSeconds` old at `now`, or that carries no
 * `auth_time` at all (it cannot prove a recent login). A login exactly `maxAgeSeconds` old
 * passes. No clock tolerance is granted: the age is a policy, not a validity window.
 *
 * `auth_time` is read from the verified claims, after the issuer's claim mapping; every
 * issuer in sight (the user-service, Keycloak, OIDC providers generally) uses that name.
 *
 * @param now - the verifier's clock reading, ms since the epoch.
 * @throws {@link InsufficientUserAuthenticationError}
 */
export function assertRecentAuth(token: VerifiedToken, maxAgeSeconds: number, now: number): void {
  const authTime = token.claims.auth_time;
  if (authTime === undefined || now - authTime * 1000 > maxAgeSeconds * 1000) {
    throw new InsufficientUserAuthenticationError({ maxAgeSeconds, authTime });
  }
}
