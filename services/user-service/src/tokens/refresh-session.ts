/**
 * Refresh-token rotation with reuse detection. Every refresh marks the presented token used and
 * issues a new one. Presenting a token that was already used means two parties hold it — the
 * client and a thief, and we cannot tell which is which — so the whole session is revoked and
 * a session revocation is published. Two racing refreshes by an honest client also end this
 * way; that is the price of strict rotation.
 *
 * Rotation does not extend a session: once `SESSION_MAX_LIFETIME_SECONDS` have passed since its
 * `authTime`, a refresh is refused with `SESSION_EXPIRED` and the user must sign in again. No
 * revocation is published for it — no token of the session outlives that end (see
 * issue-tokens.ts), so by then there is nothing left to cut.
 */
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { sessionHasEnded } from '../accounts/session-lifetime.js';
import { canSignIn, findUserById } from '../accounts/users.js';
import { inRevocationTransaction } from '../revocations/transaction.js';
import { revokeSessionRow } from '../revocations/state.js';
import type { TokenPair } from './issue-tokens.js';
import { issueTokens } from './issue-tokens.js';
import { hashRefreshToken } from './refresh-token.js';

type Outcome =
  | { readonly ok: true; readonly tokens: TokenPair }
  | {
      readonly ok: false;
      readonly error: UserServiceError;
      /** Set when a used token came back: the session it revoked, logged after the commit. */
      readonly reused?: { readonly sid: string; readonly sub: string };
    };

const sessionExpired = () =>
  new UserServiceError({
    code: 'SESSION_EXPIRED',
    message: 'the session reached its maximum lifetime; sign in again',
  });

const invalid = () =>
  new UserServiceError({
    code: 'INVALID_REFRESH_TOKEN',
    message: 'refresh token is invalid or expired',
  });

/**
 * Exchanges a refresh token for a new token pair.
 *
 * @throws {@link UserServiceError} `INVALID_REFRESH_TOKEN`, `SESSION_EXPIRED` once the session
 *   reached its absolute lifetime, or `REFRESH_TOKEN_REUSED` after revoking the session.
 */
export async function refreshSession(
  ctx: ServiceContext,
  refreshToken: string,
): Promise<TokenPair> {
  const now = ctx.now();
  const hash = hashRefreshToken(refreshToken);
  const { result } = await inRevocationTransaction<Outcome>(ctx, async ({ trx, emit }) => {
    // FOR UPDATE: of two concurrent refreshes with one token, the second waits and then sees it used.
    const row = await trx
      .selectFrom('refreshTokens')
      .selectAll()
      .where('tokenHash', '=', hash)
      .$if(ctx.store.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst();
    if (row === undefined) return { ok: false, error: invalid() };
    const session = await trx
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', row.sessionId)
      .executeTakeFirst();
    if (session === undefined || session.revokedAt !== null) return { ok: false, error: invalid() };

    if (row.usedAt !== null) {
      if (await revokeSessionRow(trx, session.id, 'refresh-reuse', now)) {
        await emit({
          kind: 'session',
          sid: session.id,
          reason: 'refresh-reuse',
          actor: 'user-service',
        });
      }
      return {
        ok: false,
        // Logged after the commit: the work may run twice (group commit) or roll back.
        reused: { sid: session.id, sub: session.userId },
        error: new UserServiceError({
          code: 'REFRESH_TOKEN_REUSED',
          message: 'refresh token was already used; the session has been revoked',
        }),
      };
    }
    // Before the token's own expiry: a refresh token expires with its session at the latest, and
    // the client should learn that signing in again is the way on, not that its token is bad.
    if (sessionHasEnded(session.authTime, ctx.config.tokens.maxSessionLifetimeSeconds, now)) {
      return { ok: false, error: sessionExpired() };
    }
    if (row.expiresAt <= now) return { ok: false, error: invalid() };
    const user = await findUserById(trx, session.userId);
    if (user === undefined || !canSignIn(user, now)) return { ok: false, error: invalid() };

    await trx
      .updateTable('refreshTokens')
      .set({ usedAt: now })
      .where('tokenHash', '=', hash)
      .execute();
    await trx
      .updateTable('sessions')
      .set({ lastUsedAt: now })
      .where('id', '=', session.id)
      .execute();
    const tokens = await issueTokens(
      ctx,
      trx,
      user,
      { id: session.id, authTime: session.authTime },
      now,
    );
    return { ok: true, tokens };
  });
  if (!result.ok) {
    if (result.reused !== undefined) {
      ctx.logger.warn(result.reused, 'refresh token reused: session revoked');
    }
    throw result.error;
  }
  return result.tokens;
}
