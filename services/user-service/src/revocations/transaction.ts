/**
 * The user-service's revocations go through the issuer kit's one `revocationTransaction`: the
 * state change and its events commit together (group commit), the relay is woken after the
 * commit, and the HTTP answer goes out as soon as this returns — it never waits for Kafka.
 */
import type {
  CommittedRevocation,
  RerunnableWork,
  RevocationAttempt,
} from '@revocation-fabric/issuer-kit';
import type { ServiceContext } from '../context.js';
import type { Database } from '../db/schema.js';

/** What a revocation's work gets: its transaction, `emit` and `afterCommit`. */
export type RevocationTransaction = RevocationAttempt<Database>;

/**
 * Runs `work` in a group-committed transaction and returns its result with the events it
 * emitted (`iss` is the configured issuer; brakes are signed with the active signing key).
 * The work may run twice: {@link RerunnableWork} says what it may do.
 *
 * @example
 * ```ts
 * await inRevocationTransaction(ctx, async ({ trx, emit }) => {
 *   await revokeSessionRow(trx, sid, 'logout', now);
 *   await emit({ kind: 'session', sid, reason: 'logout', actor: userId });
 * });
 * ```
 */
export function inRevocationTransaction<T>(
  ctx: ServiceContext,
  work: RerunnableWork<Database, T>,
): Promise<CommittedRevocation<T>> {
  return ctx.issuer.revocationTransaction(work);
}
