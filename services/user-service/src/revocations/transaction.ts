/**
 * The outbox pattern in one place: a revocation's state change and its events commit in one
 * database transaction (`enqueue` of `@revocation-fabric/publisher`); the relay is woken only
 * after the commit. The HTTP answer goes out as soon as this returns — it never waits for Kafka.
 */
import type { RevocationEvent, RevocationEventInput } from '@revocation-fabric/protocol';
import { enqueue } from '@revocation-fabric/publisher';
import type { ServiceContext } from '../context.js';
import type { Executor } from '../db/schema.js';

type WithoutIssuer<T> = T extends unknown ? Omit<T, 'iss'> : never;

/** An event to emit; the issuer is filled in from the configuration. */
export type EventDraft = WithoutIssuer<RevocationEventInput>;

/** What a revocation's work function gets: the transaction and a way to emit events in it. */
export interface RevocationTransaction {
  readonly trx: Executor;
  /** Writes an event to the outbox inside this transaction. */
  readonly emit: (draft: EventDraft) => Promise<RevocationEvent>;
}

/**
 * Runs `work` in one transaction and returns its result with the events it emitted. The
 * transaction may be shared with other revocations queued at the same moment (group commit,
 * `db/commit-group.ts`); `work` must do database work only, since it may run twice.
 *
 * @example
 * ```ts
 * await inRevocationTransaction(ctx, async ({ trx, emit }) => {
 *   await revokeSessionRow(trx, sid, 'logout', now);
 *   await emit({ kind: 'session', sid, reason: 'logout', actor: userId });
 * });
 * ```
 */
export async function inRevocationTransaction<T>(
  ctx: ServiceContext,
  work: (tx: RevocationTransaction) => Promise<T>,
): Promise<{ readonly result: T; readonly events: readonly RevocationEvent[] }> {
  // The work may run twice (see CommitGroup): each attempt collects its own events.
  const { result, events } = await ctx.store.commits.run(async (trx) => {
    const emitted: RevocationEvent[] = [];
    const value = await work({
      trx,
      emit: async (draft) => {
        // The event's issuedAt reads the same clock as the rows written beside it.
        const event = await enqueue(
          trx,
          { ...draft, iss: ctx.config.tokens.issuer },
          // A brake is signed by the active signing key, read in this transaction: verifiers
          // check it against the JWKS, so a Kafka password alone cannot pull one.
          { now: ctx.now, signBrake: (payload) => ctx.keys.signBrake(trx, payload) },
        );
        emitted.push(event);
        return event;
      },
    });
    return { result: value, events: emitted };
  });
  if (events.length > 0) {
    for (const event of events)
      ctx.metrics.revocations.inc({ kind: event.kind, reason: event.reason });
    ctx.logger.info(
      { events: events.map((e) => ({ id: e.id, kind: e.kind, reason: e.reason })) },
      'revocation committed',
    );
    ctx.outboxCommitted();
  }
  return { result, events };
}
