/**
 * How the user-service checks the access tokens presented to its own self-service endpoints.
 * It is the authority, so it does not wait for Kafka: after the signature and claims, it looks
 * at the database — the session must be live, the token's generations current, the account
 * allowed to sign in. A revocation therefore takes effect here the moment it commits.
 */
import { errors as joseErrors, jwtVerify } from 'jose';
import type { JWTHeaderParameters } from 'jose';
import type { ServiceContext } from '../context.js';
import { readGlobalGeneration } from '../db/locks.js';
import { UserServiceError } from '../errors.js';
import { canSignIn, findUserById } from '../accounts/users.js';
import type { AccessTokenClaims } from './access-token.js';
import { ACCESS_TOKEN_TYPE, accessTokenClaimsSchema } from './access-token.js';
import { SIGNING_ALGORITHM } from './signing-keys.js';

/** A verified access token of this issuer. */
export interface VerifiedAccessToken {
  readonly claims: AccessTokenClaims;
  readonly kid: string;
}

const rejected = (why: string) =>
  new UserServiceError({
    code: 'UNAUTHORIZED',
    message: `access token rejected: ${why}`,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

/**
 * Verifies signature and claims only — no revocation check. For tokens presented as data
 * (an admin revoking someone's token), not as credentials.
 *
 * @throws {@link UserServiceError} `unauthorized`.
 */
export async function verifyAccessTokenSignature(
  ctx: ServiceContext,
  token: string,
): Promise<VerifiedAccessToken> {
  const now = ctx.now();
  let kid = '';
  try {
    const { payload } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        kid = header.kid ?? '';
        const key = kid === '' ? undefined : await ctx.keys.publishedKey(kid, now);
        if (key === undefined) throw rejected('unknown signing key');
        return key;
      },
      {
        issuer: ctx.config.tokens.issuer,
        audience: ctx.config.tokens.audience,
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        clockTolerance: Math.ceil(ctx.config.tokens.clockToleranceMs / 1000),
        currentDate: new Date(now),
        maxTokenAge: ctx.config.tokens.maxTokenLifetimeSeconds,
      },
    );
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw rejected('missing or malformed claims');
    return { claims: claims.data, kid };
  } catch (error) {
    if (error instanceof UserServiceError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw rejected('expired');
    if (error instanceof joseErrors.JOSEError) throw rejected('invalid token');
    throw error;
  }
}

/**
 * Verifies an access token presented as a credential, including its revocation state.
 *
 * @throws {@link UserServiceError} `unauthorized`.
 */
export async function verifyAccessToken(
  ctx: ServiceContext,
  token: string,
): Promise<VerifiedAccessToken> {
  const verified = await verifyAccessTokenSignature(ctx, token);
  const { claims } = verified;
  const db = ctx.store.db;
  // Independent lookups, read together; judged below in a fixed order so the same refusal wins.
  const [session, user, globalGeneration, revokedJti] = await Promise.all([
    db
      .selectFrom('sessions')
      .select(['userId', 'revokedAt'])
      .where('id', '=', claims.sid)
      .executeTakeFirst(),
    findUserById(db, claims.sub),
    readGlobalGeneration(db),
    db.selectFrom('revokedTokens').select('jti').where('jti', '=', claims.jti).executeTakeFirst(),
  ]);
  if (session === undefined || session.userId !== claims.sub || session.revokedAt !== null) {
    throw rejected('session revoked');
  }
  if (user === undefined || !canSignIn(user, ctx.now())) throw rejected('account disabled');
  if (claims.sgen < Number(user.generation)) throw rejected('revoked');
  if (claims.ggen < globalGeneration) throw rejected('revoked');
  if (revokedJti !== undefined) throw rejected('revoked');
  return verified;
}
