/**
 * The outbox pattern in one place, for every service that writes revocations: a revocation's
 * state change and its events commit in one database transaction (`enqueue` of
 * `@revocation-fabric/publisher`), shared with the revocations queued at the same moment (group
 * commit); the relay is woken only after the commit. The caller answers as soon as this
 * returns — it never waits for Kafka.
 */
import type { RevocationEvent, RevocationEventInput } from '@revocation-fabric/protocol';
import { activeTraceContext, enqueue } from '@revocation-fabric/publisher';
import type { Transaction } from 'kysely';
import type { CommitAttempt, CommitGroup } from './commit-group.js';

type IssuerOptional<T> = T extends unknown
  ? Omit<T, 'iss'> & { readonly iss?: string | undefined }
  : never;

/**
 * An event to emit. `iss` defaults to the writer's issuer (a service that issues tokens under
 * one name); a writer without one (the gateway, which speaks for several providers) must name it.
 */
export type EventDraft = IssuerOptional<RevocationEventInput>;

/** What one attempt of a revocation's work gets: its transaction, `emit`, and `afterCommit`. */
export interface RevocationAttempt<DB> extends CommitAttempt<DB> {
  /** Writes an event to the outbox inside this attempt's transaction. */
  readonly emit: (draft: EventDraft) => Promise<RevocationEvent>;
}

/**
 * A revocation's work. It may run twice — its batch rolled back for another work's failure,
 * then re-run alone — so it gets nothing to act with but the attempt: database work in `trx`,
 * events through `emit` (collected per attempt: only the committed attempt's count), anything
 * else through `afterCommit`. It returns its result; a caller acts on that after it settles.
 */
export type RerunnableWork<DB, T> = (attempt: RevocationAttempt<DB>) => Promise<T>;

/** A committed work's result and the events its committed attempt emitted. */
export interface CommittedRevocation<T> {
  readonly result: T;
  readonly events: readonly RevocationEvent[];
}

/**
 * Signs a brake inside the attempt's transaction (the signing key is read there); see the
 * publisher's `EnqueueOptions.signBrake`.
 */
export type TransactionBrakeSigner<DB> = (
  trx: Transaction<DB>,
  payload: string,
  event: RevocationEvent,
) => Promise<string>;

/** How a service's revocations are written. */
export interface RevocationWriterOptions<DB> {
  /** `iss` of every emitted event that names none. Default: none, each event names its own. */
  readonly issuer?: string | undefined;
  /** Signs brakes (`global`, `key` rules); without it, emitting a brake throws. */
  readonly signBrake?: TransactionBrakeSigner<DB> | undefined;
  /** How far (ms) a cutoff may lie past the issue time. Default the protocol's (5000). */
  readonly clockToleranceMs?: number | undefined;
  /**
   * Called once per committed work that emitted events, after the relay was woken: the
   * service's counters and its log line.
   */
  readonly committed?: ((events: readonly RevocationEvent[]) => void) | undefined;
}

/** What {@link revocationTransaction} needs. */
export interface RevocationTransactionSetup<DB> extends RevocationWriterOptions<DB> {
  readonly commits: CommitGroup<DB>;
  /** The clock, ms since the epoch: the events' `issuedAt`, as the rows written beside them. */
  readonly now: () => number;
  /** Wakes the relay after a commit that wrote events. */
  readonly wake: () => void;
}

/**
 * Runs `work` in a group-committed transaction and returns its result with the events it
 * emitted.
 *
 * @example
 * ```ts
 * const { result } = await revocationTransaction(setup, async ({ trx, emit }) => {
 *   await trx.updateTable('sessions').set({ revokedAt: now }).where('id', '=', sid).execute();
 *   await emit({ kind: 'session', sid, reason: 'logout', actor: userId });
 *   return 'revoked';
 * });
 * ```
 */
export async function revocationTransaction<DB, T>(
  setup: RevocationTransactionSetup<DB>,
  work: RerunnableWork<DB, T>,
): Promise<CommittedRevocation<T>> {
  // The caller's trace, captured here: the group commit may run this work in the async context
  // of another caller's request, so the active context there is not this revocation's.
  const trace = activeTraceContext() ?? null;
  const committed = await setup.commits.run(async ({ trx, afterCommit }) => {
    const events: RevocationEvent[] = [];
    const result = await work({
      trx,
      afterCommit,
      emit: async (draft) => {
        const iss = draft.iss ?? setup.issuer;
        if (iss === undefined) {
          throw new TypeError(
            'emit: the event names no iss and the writer has no issuer (options.issuer)',
          );
        }
        const { signBrake } = setup;
        const event = await enqueue(
          trx,
          { ...draft, iss },
          {
            now: setup.now,
            clockToleranceMs: setup.clockToleranceMs,
            trace,
            signBrake:
              signBrake === undefined ? undefined : (payload, e) => signBrake(trx, payload, e),
          },
        );
        events.push(event);
        return event;
      },
    });
    return { result, events };
  });
  if (committed.events.length > 0) {
    setup.wake();
    setup.committed?.(committed.events);
  }
  return committed;
}
