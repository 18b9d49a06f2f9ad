/**
 * The emergency brake: every access token minted so far, of every user, is rejected (reason
 * `emergency`). The global generation is bumped with the event, so tokens minted after the
 * commit carry the new `ggen` and pass. Sessions survive unless asked otherwise: clients refresh
 * into valid tokens; with `endSessions` everyone must sign in again.
 */
import type { ServiceContext } from '../context.js';
import { lockGlobalState } from '../db/locks.js';
import { inRevocationTransaction } from './transaction.js';

/**
 * Applies a global cutoff.
 *
 * @returns the new global generation.
 */
export async function emergencyCutoff(
  ctx: ServiceContext,
  request: { readonly actor: string; readonly endSessions: boolean },
): Promise<number> {
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async ({ trx, emit }) => {
    const { generation } = await lockGlobalState(trx, ctx.store.dialect);
    const next = generation + 1;
    await trx.updateTable('globalState').set({ generation: next }).where('id', '=', 1).execute();
    if (request.endSessions) {
      await trx
        .updateTable('sessions')
        .set({ revokedAt: now, revokeReason: 'emergency' })
        .where('revokedAt', 'is', null)
        .execute();
    }
    await emit({
      kind: 'global',
      cutoff: now,
      generation: next,
      reason: 'emergency',
      actor: request.actor,
    });
    return next;
  });
  return result;
}
