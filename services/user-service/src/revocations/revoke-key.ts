/**
 * Key compromise: the kid is revoked (it leaves the JWKS at once and every verifier rejects
 * tokens signed with it) and, if it was the active key, the pre-published next key takes over —
 * in one transaction with the `{ kind: 'key', kid }` event. A revoked next key is replaced.
 */
import type { ServiceContext } from '../context.js';
import { lockGlobalState } from '../db/locks.js';
import { UserServiceError } from '../errors.js';
import { inRevocationTransaction } from './transaction.js';

/** What a key revocation did. */
export interface KeyRevocationResult {
  readonly revokedKid: string;
  /** The key that signs from now on. */
  readonly activeKid: string;
}

/**
 * Revokes a signing key and rotates if needed.
 *
 * @throws {@link UserServiceError} `not_found` for an unknown kid.
 */
export async function revokeKey(
  ctx: ServiceContext,
  request: { readonly kid: string; readonly actor: string },
): Promise<KeyRevocationResult> {
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async ({ trx, emit }) => {
    await lockGlobalState(trx, ctx.store.dialect);
    const key = await trx
      .selectFrom('signingKeys')
      .select(['kid', 'status'])
      .where('kid', '=', request.kid)
      .executeTakeFirst();
    if (key === undefined) return undefined;
    if (key.status !== 'revoked') {
      await trx
        .updateTable('signingKeys')
        .set({ status: 'revoked', revokedAt: now })
        .where('kid', '=', key.kid)
        .execute();
    }
    const active = await trx
      .selectFrom('signingKeys')
      .select('kid')
      .where('status', '=', 'active')
      .executeTakeFirst();
    // The next key was published long ago, so verifiers accept its tokens at once.
    const activeKid = active?.kid ?? (await ctx.keys.rotateWithin(trx, now));
    await ctx.keys.ensureNextWithin(trx, now);
    // Emitted after the rotation: the rule is a brake, signed by the key active from now on
    // (already in every verifier's key set), never by the compromised one.
    if (key.status !== 'revoked') {
      await emit({ kind: 'key', kid: key.kid, reason: 'key-compromise', actor: request.actor });
    }
    return { revokedKid: key.kid, activeKid };
  });
  if (result === undefined)
    throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such signing key' });
  ctx.keys.forget(result.revokedKid);
  return result;
}
