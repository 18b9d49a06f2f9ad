/**
 * Revoking one access token by `jti` (reason `admin`). The rule can be forgotten once the token
 * has expired, so the event carries its `exp`; when only the jti is known, the latest expiry a
 * token minted now could have is used, which is never too early.
 */
import type { ServiceContext } from '../context.js';
import { inRevocationTransaction } from './transaction.js';

/** The token to revoke. */
export interface TokenRevocationRequest {
  readonly jti: string;
  /** The token's `exp` in ms, if known. */
  readonly expiresAt?: number | undefined;
  readonly actor: string;
}

/**
 * Revokes one token. Revoking a jti twice emits a second event with the later expiry; both are
 * harmless (rules merge by maximum).
 *
 * @returns the expiry (ms) the rule was published with.
 */
export async function revokeToken(
  ctx: ServiceContext,
  request: TokenRevocationRequest,
): Promise<number> {
  const now = ctx.now();
  const latestPossibleExpiry =
    now + ctx.config.tokens.maxTokenLifetimeSeconds * 1000 + ctx.config.tokens.clockToleranceMs;
  const expiresAt = Math.min(request.expiresAt ?? latestPossibleExpiry, latestPossibleExpiry);
  await inRevocationTransaction(ctx, async ({ trx, emit }) => {
    await trx
      .insertInto('revokedTokens')
      .values({ jti: request.jti, expiresAt, revokedAt: now, actor: request.actor })
      .onConflict((oc) =>
        oc.column('jti').doUpdateSet({ expiresAt, revokedAt: now, actor: request.actor }),
      )
      .execute();
    await emit({
      kind: 'token',
      jti: request.jti,
      expiresAt,
      reason: 'admin',
      actor: request.actor,
    });
  });
  return expiresAt;
}
