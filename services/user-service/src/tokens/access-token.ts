/**
 * Access tokens: short-lived ES256 JWTs (`typ: at+jwt`, RFC 9068) with the claims every verifier
 * needs to apply revocation rules — `jti` (token), `sid` (session), `sub` + `sgen` (subject
 * generation), the header `kid` (key) and `ggen` (global generation).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { issuedAccessTokenClaimsSchema } from '@revocation-fabric/protocol';
import type { IssuedAccessTokenClaims } from '@revocation-fabric/protocol';
import { sessionEnd } from '../accounts/session-lifetime.js';
import type { ActiveSigningKey } from './signing-keys.js';
import { SIGNING_ALGORITHM } from './signing-keys.js';

/** The JWS `typ` of access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/**
 * Claims of an access token this service mints: the protocol's contract
 * (`issuedAccessTokenClaimsSchema`), shared with every verifier; JWT times are in seconds.
 */
export const accessTokenClaimsSchema = issuedAccessTokenClaimsSchema;

/** Claims of an access token. */
export type AccessTokenClaims = IssuedAccessTokenClaims;

/** Who a token is for, and the generations it is stamped with. */
export interface AccessTokenGrant {
  readonly userId: string;
  readonly sessionId: string;
  /** When the user last proved their password for this session, ms. */
  readonly authTime: number;
  readonly roles: readonly string[];
  readonly subjectGeneration: number;
  readonly globalGeneration: number;
}

/** Issuer settings for {@link signAccessToken}. */
export interface AccessTokenPolicy {
  readonly issuer: string;
  readonly audience: string;
  /** Access-token lifetime, seconds. */
  readonly ttlSeconds: number;
  /**
   * The absolute session lifetime, seconds: no token outlives its session's end
   * (`auth_time` + this), so `exp` is the earlier of `iat` + TTL and that end.
   */
  readonly maxSessionLifetimeSeconds: number;
}

/**
 * Signs an access token. Its `exp` never passes the session's end, so every verifier — and the
 * socket.io adapter's expiry timers — end the session on time by their own clocks, without an
 * event (see the README, "Absolute session lifetime").
 *
 * @example
 * ```ts
 * const { token } = await signAccessToken(key, grant, policy, ctx.now());
 * ```
 * @throws RangeError when the session has already ended at `now`: the caller should have refused.
 */
export async function signAccessToken(
  key: ActiveSigningKey,
  grant: AccessTokenGrant,
  policy: AccessTokenPolicy,
  now: number,
): Promise<{ readonly token: string; readonly claims: AccessTokenClaims }> {
  const iat = Math.floor(now / 1000);
  const ends = sessionEnd(grant.authTime, policy.maxSessionLifetimeSeconds) / 1000;
  if (ends <= iat) {
    throw new RangeError(
      `session ${grant.sessionId} ended at ${ends} (auth_time + ${policy.maxSessionLifetimeSeconds} s); no token can be issued at ${iat}`,
    );
  }
  // Checked against the shared contract before signing: a token every verifier would refuse
  // is a bug here, not a verdict there.
  const claims: AccessTokenClaims = accessTokenClaimsSchema.parse({
    iss: policy.issuer,
    aud: policy.audience,
    sub: grant.userId,
    sid: grant.sessionId,
    jti: randomUUID(),
    iat,
    exp: Math.min(iat + policy.ttlSeconds, ends),
    auth_time: Math.floor(grant.authTime / 1000),
    roles: [...grant.roles],
    sgen: grant.subjectGeneration,
    ggen: grant.globalGeneration,
  });
  // zod's output types optional claims as `T | undefined`; an absent claim is simply not set.
  const payload = Object.fromEntries(
    Object.entries(claims).filter(([, value]) => value !== undefined),
  );
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .sign(key.privateKey);
  return { token, claims };
}
