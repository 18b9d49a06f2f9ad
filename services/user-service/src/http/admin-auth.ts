/**
 * Admin authentication from this service's own database and keys — the check every user
 * endpoint gets (signature against our signing keys, then a live session, current generations,
 * an account allowed to sign in, a jti not revoked), followed by the `admin` role check.
 *
 * It never waits for Kafka: the emergency brakes (global cutoff, key revocation) exist for the
 * incident in which Kafka may be the broken part, so they must answer while it is away. The
 * database is the authority the topic is fed from, so a revocation binds admin tokens here the
 * moment it commits; a verifier replaying the topic could only ever know less.
 */
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { ADMIN_ROLE } from '../accounts/users.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';
import type { VerifiedAccessToken } from '../tokens/verify-access-token.js';

/**
 * Verifies an admin's access token as a credential and requires the `admin` role.
 *
 * The roles are the token's: a role change bumps the account's generation (a subject cutoff),
 * so a token that still names roles taken away fails the generation check before this one.
 *
 * @throws {@link UserServiceError} `UNAUTHORIZED` (bad, expired or revoked token, disabled
 *   account) or `FORBIDDEN` (a valid token without the admin role).
 * @example
 * ```ts
 * const { claims } = await authenticateAdmin(ctx, bearerToken);
 * await emergencyCutoff(ctx, { actor: claims.sub, endSessions: false });
 * ```
 */
export async function authenticateAdmin(
  ctx: ServiceContext,
  token: string,
): Promise<VerifiedAccessToken> {
  const verified = await verifyAccessToken(ctx, token);
  if (!verified.claims.roles.includes(ADMIN_ROLE)) {
    throw new UserServiceError({
      code: 'FORBIDDEN',
      message: 'this endpoint requires the admin role',
      headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
    });
  }
  return verified;
}
