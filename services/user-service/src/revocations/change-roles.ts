/**
 * Role changes: tokens carry roles, so a changed role set must kill every token minted with the
 * old one (reason `role-change`). Sessions survive: the next refresh yields the new roles.
 */
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { cutOffSubjectWithin } from './revoke-subject.js';
import { inRevocationTransaction } from './transaction.js';

/**
 * Replaces a user's roles.
 *
 * @returns the roles now in force.
 * @throws {@link UserServiceError} `not_found` when there is no such user.
 */
export async function changeRoles(
  ctx: ServiceContext,
  request: { readonly userId: string; readonly roles: readonly string[]; readonly actor: string },
): Promise<string[]> {
  const roles = [...new Set(request.roles)].sort();
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, async (tx) => {
    const updated = await tx.trx
      .updateTable('users')
      .set({ roles: JSON.stringify(roles), updatedAt: now })
      .where('id', '=', request.userId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return false;
    await cutOffSubjectWithin(
      tx,
      { userId: request.userId, reason: 'role-change', actor: request.actor, endSessions: false },
      now,
    );
    return true;
  });
  if (!result) throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
  return roles;
}
