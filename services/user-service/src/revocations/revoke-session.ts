/**
 * Ending one session (one device): logout, "log out that device", an admin's session revoke,
 * all publish `{ kind: 'session', sid }`.
 */
import type { RevocationReason } from '@revocation-fabric/protocol';
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { revokeSessionRow } from './state.js';
import { inRevocationTransaction } from './transaction.js';

/** Which session to end, and on whose behalf. */
export interface SessionRevocationRequest {
  readonly sessionId: string;
  /** Only end the session if it belongs to this user (self-service); omit for admins. */
  readonly ownerId?: string;
  readonly reason: Extract<RevocationReason, 'logout' | 'admin'>;
  /** Who asked: the user's or the admin's id. */
  readonly actor: string;
}

/**
 * Revokes one session and publishes its revocation. Revoking a session that is already revoked
 * succeeds without a second event.
 *
 * @throws {@link UserServiceError} `NOT_FOUND` when there is no such session (of that owner).
 */
export async function revokeSession(
  ctx: ServiceContext,
  request: SessionRevocationRequest,
): Promise<void> {
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async ({ trx, emit }) => {
    const session = await trx
      .selectFrom('sessions')
      .select(['id', 'userId'])
      .where('id', '=', request.sessionId)
      .executeTakeFirst();
    if (session === undefined) return 'not_found' as const;
    if (request.ownerId !== undefined && session.userId !== request.ownerId) {
      return 'not_found' as const;
    }
    if (await revokeSessionRow(trx, session.id, request.reason, now)) {
      await emit({
        kind: 'session',
        sid: session.id,
        reason: request.reason,
        actor: request.actor,
      });
    }
    return 'done' as const;
  });
  // Someone else's session is answered like a missing one: ids are not probed this way.
  if (result === 'not_found')
    throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such session' });
}
