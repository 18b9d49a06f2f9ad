/**
 * Subject cutoffs: every access token of a user minted before now dies. Logout everywhere,
 * password change, ban and suspension, role change and an admin's subject revoke all come down
 * to this — bump the user's generation and publish `{ kind: 'subject', sub, cutoff, generation }`
 * in the same transaction.
 */
import type { RevocationReason } from '@revocation-fabric/protocol';
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import { bumpSubjectGeneration, revokeSessionsOf } from './state.js';
import type { RevocationTransaction } from './transaction.js';
import { inRevocationTransaction } from './transaction.js';

/** Reasons that end in a subject cutoff. */
export type SubjectCutoffReason = Extract<
  RevocationReason,
  'logout-all' | 'password-change' | 'ban' | 'role-change' | 'admin'
>;

/** Options of {@link cutOffSubjectWithin}. */
export interface SubjectCutoff {
  readonly userId: string;
  readonly reason: SubjectCutoffReason;
  readonly actor: string;
  /**
   * Also revoke the user's sessions, so their refresh tokens stop working — except `keepSession`.
   * Role changes keep sessions: a refresh then yields a token with the new roles.
   */
  readonly endSessions: boolean;
  readonly keepSession?: string;
}

/**
 * Applies a subject cutoff inside a revocation transaction.
 *
 * @returns the new generation, or undefined when the user does not exist.
 */
export async function cutOffSubjectWithin(
  { trx, emit }: RevocationTransaction,
  cutoff: SubjectCutoff,
  now: number,
): Promise<number | undefined> {
  const generation = await bumpSubjectGeneration(trx, cutoff.userId, now);
  if (generation === undefined) return undefined;
  if (cutoff.endSessions) {
    await revokeSessionsOf(trx, cutoff.userId, cutoff.reason, now, cutoff.keepSession);
  }
  await emit({
    kind: 'subject',
    sub: cutoff.userId,
    cutoff: now,
    generation,
    reason: cutoff.reason,
    actor: cutoff.actor,
  });
  return generation;
}

/**
 * Logs a user out everywhere (`logout-all`), or an admin revokes a subject (`admin`): every
 * session ends and every access token minted so far is rejected.
 *
 * @throws {@link UserServiceError} `not_found` when there is no such user.
 */
export async function revokeSubject(
  ctx: ServiceContext,
  request: {
    readonly userId: string;
    readonly reason: 'logout-all' | 'admin';
    readonly actor: string;
  },
): Promise<void> {
  const now = ctx.now();
  const { result } = await inRevocationTransaction(ctx, (tx) =>
    cutOffSubjectWithin(tx, { ...request, endSessions: true }, now),
  );
  if (result === undefined)
    throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
}
