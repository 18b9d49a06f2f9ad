/**
 * Issuing a token pair for a session: a new refresh token row and an access token stamped with
 * the generations read in the same transaction.
 */
import type { ServiceContext } from '../context.js';
import { readGlobalGeneration } from '../db/locks.js';
import type { Executor, UserRow } from '../db/schema.js';
import { sessionEnd } from '../accounts/session-lifetime.js';
import { rolesOf } from '../accounts/users.js';
import { signAccessToken } from './access-token.js';
import { newRefreshToken } from './refresh-token.js';

/** What login, refresh and password change answer with. */
export interface TokenPair {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Access-token lifetime in seconds: the TTL, or less when the session ends sooner. */
  readonly expiresIn: number;
  readonly refreshToken: string;
  /** Refresh-token lifetime in seconds: the TTL, or less when the session ends sooner. */
  readonly refreshExpiresIn: number;
  /** The session (`sid`) both tokens belong to. */
  readonly sessionId: string;
}

/**
 * Issues a token pair inside the caller's transaction. The user row must have been read in
 * the same transaction: its `generation` becomes the token's `sgen`, so a cutoff committed
 * before this transaction read it rejects nothing this issues, and one committed after does.
 * Neither token outlives the session's absolute end (`SESSION_MAX_LIFETIME_SECONDS` after its
 * `authTime`); the caller refuses a session that has already ended.
 */
export async function issueTokens(
  ctx: ServiceContext,
  trx: Executor,
  user: UserRow,
  session: { readonly id: string; readonly authTime: number },
  now: number,
): Promise<TokenPair> {
  const { tokens } = ctx.config;
  const ends = sessionEnd(session.authTime, tokens.maxSessionLifetimeSeconds);
  const refresh = newRefreshToken();
  const refreshExpiresAt = Math.min(now + tokens.refreshTokenTtlSeconds * 1000, ends);
  await trx
    .insertInto('refreshTokens')
    .values({
      tokenHash: refresh.hash,
      sessionId: session.id,
      createdAt: now,
      expiresAt: refreshExpiresAt,
      usedAt: null,
    })
    .execute();
  const globalGeneration = await readGlobalGeneration(trx);
  const key = await ctx.keys.activeKey(trx);
  const { token, claims } = await signAccessToken(
    key,
    {
      userId: user.id,
      sessionId: session.id,
      authTime: session.authTime,
      roles: rolesOf(user),
      subjectGeneration: Number(user.generation),
      globalGeneration,
    },
    {
      issuer: tokens.issuer,
      audience: tokens.audience,
      ttlSeconds: tokens.accessTokenTtlSeconds,
      maxSessionLifetimeSeconds: tokens.maxSessionLifetimeSeconds,
    },
    now,
  );
  return {
    accessToken: token,
    tokenType: 'Bearer',
    expiresIn: claims.exp - claims.iat,
    refreshToken: refresh.token,
    refreshExpiresIn: Math.floor((refreshExpiresAt - now) / 1000),
    sessionId: session.id,
  };
}
