/**
 * The one write of an accepted signal: its `jti` into `seen_signals` and its rule into the
 * outbox, in ONE transaction. So a replay is refused after any restart (the jti is on disk), and
 * a crash cannot lose an accepted signal (the answer goes out only after the commit) nor leave
 * a jti marked seen whose event was never written.
 */
import { CutoffInFutureError, ProtocolError } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { GatewayContext } from '../context.js';
import type { RuleDraft } from './mapping.js';
import { refuse } from './refusal.js';
import type { SignalSource } from './signal.js';

/** What to commit. */
export interface SignalCommit {
  readonly issuer: string;
  readonly actor: string;
  readonly source: SignalSource;
  readonly jti: string;
  /** When the jti row may be purged, ms. */
  readonly replayGuardUntil: number;
  /** The rule, or `undefined` for a signal accepted without one (SSF verification). */
  readonly draft: RuleDraft | undefined;
}

/** `committed` (with the event written, if any) or `duplicate` (the jti was already seen). */
export type CommitResult =
  | { readonly outcome: 'committed'; readonly event: RevocationEvent | undefined }
  | { readonly outcome: 'duplicate' };

/**
 * Commits one signal, through the issuer kit's group commit: it may share its transaction with
 * the signals and revocations queued beside it. A duplicate is a result, not an error: its
 * insert wrote nothing, so the batch it shares commits for the others without a re-run.
 *
 * @example
 * ```ts
 * const result = await commitSignal(ctx, { issuer, actor: 'gateway:kc', source: 'backchannel',
 *   jti, replayGuardUntil, draft: { kind: 'session', sid, reason: 'logout' } });
 * ```
 * @throws {@link SignalRefusedError} `CUTOFF_IN_FUTURE`, or `EVENT_INVALID` for a rule the event
 *   schema refuses (a `sid` longer than it allows); nothing is written then.
 */
export async function commitSignal(
  ctx: GatewayContext,
  commit: SignalCommit,
): Promise<CommitResult> {
  try {
    const { result } = await ctx.issuer.revocationTransaction(
      async ({ trx, emit }): Promise<CommitResult> => {
        const now = ctx.now();
        const inserted = await trx
          .insertInto('seenSignals')
          .values({
            issuer: commit.issuer,
            jti: commit.jti,
            source: commit.source,
            receivedAt: now,
            expiresAt: commit.replayGuardUntil,
          })
          // Two deliveries of one jti racing: the second waits for the first's row, then
          // inserts nothing and is a duplicate (in one batch, it sees the first's row at once).
          .onConflict((oc) => oc.columns(['issuer', 'jti']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return { outcome: 'duplicate' };
        if (commit.draft === undefined) return { outcome: 'committed', event: undefined };
        // Issued at the instant the jti was recorded; the cutoff tolerance is the gateway's.
        const event = await emit({
          ...commit.draft,
          iss: commit.issuer,
          actor: commit.actor,
          issuedAt: now,
        });
        return { outcome: 'committed', event };
      },
    );
    return result;
  } catch (error) {
    if (error instanceof CutoffInFutureError) {
      throw refuse('CUTOFF_IN_FUTURE', 'the signal’s cutoff lies in the future', error);
    }
    // A validly signed signal whose rule the protocol refuses (e.g. a 300-character sid) will be
    // refused every time: answering 500 would have the transmitter redeliver it forever.
    if (error instanceof ProtocolError) {
      throw refuse('EVENT_INVALID', 'the signal’s rule is not a valid revocation event', error);
    }
    throw error;
  }
}

/**
 * Deletes jti rows whose replay window has closed.
 *
 * @example
 * ```ts
 * const purged = await purgeSeenSignals(ctx.store.db, ctx.now());
 * ```
 */
export async function purgeSeenSignals(
  db: GatewayContext['store']['db'],
  now: number,
): Promise<number> {
  const result = await db.deleteFrom('seenSignals').where('expiresAt', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
