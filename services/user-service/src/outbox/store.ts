/**
 * The transactional outbox: revocation events written in the same transaction as the state
 * change they announce, read back later by the relay. Events are encoded once, at write time,
 * so what the relay publishes is exactly what was committed.
 */
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent, RevocationEventInput } from '@revocation-fabric/protocol';
import type { Executor } from '../db/schema.js';

/** One unsent event as the relay sees it. */
export interface PendingEvent {
  readonly id: number;
  readonly eventId: string;
  readonly messageKey: string;
  readonly payload: string;
  readonly attempts: number;
}

/**
 * Validates, encodes and stores an event inside the caller's transaction.
 *
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await trx.updateTable('sessions').set({ revokedAt: now }).where('id', '=', sid).execute();
 *   await enqueueEvent(trx, { kind: 'session', sid, reason: 'logout', actor: sub, iss });
 * });
 * ```
 */
export async function enqueueEvent(
  trx: Executor,
  input: RevocationEventInput,
): Promise<RevocationEvent> {
  const event = createEvent(input);
  const { key, value } = encodeEvent(event);
  await trx
    .insertInto('outbox')
    .values({
      eventId: event.id,
      kind: event.kind,
      messageKey: key,
      payload: value,
      createdAt: event.issuedAt,
    })
    .execute();
  return event;
}

/** The oldest unsent events, in allocation order. */
export async function pendingEvents(db: Executor, limit: number): Promise<PendingEvent[]> {
  return db
    .selectFrom('outbox')
    .select(['id', 'eventId', 'messageKey', 'payload', 'attempts'])
    .where('sentAt', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Marks events as delivered to Kafka. */
export async function markSent(db: Executor, ids: readonly number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('outbox').set({ sentAt: now }).where('id', 'in', ids).execute();
}

/** Records a failed publish attempt on each event, for operators reading the table. */
export async function recordAttemptFailed(
  db: Executor,
  ids: readonly number[],
  message: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), lastError: message.slice(0, 500) }))
    .where('id', 'in', ids)
    .execute();
}

/** Depth and age of the unsent backlog. */
export interface OutboxBacklog {
  /** Unsent events. */
  readonly depth: number;
  /** `createdAt` (ms) of the oldest unsent event, if any. */
  readonly oldestCreatedAt: number | undefined;
}

/** Reads the backlog, for metrics and readiness. */
export async function outboxBacklog(db: Executor): Promise<OutboxBacklog> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('createdAt').as('oldest')])
    .where('sentAt', 'is', null)
    .executeTakeFirst();
  const oldest = row?.oldest;
  return {
    depth: Number(row?.depth ?? 0),
    oldestCreatedAt: oldest === null || oldest === undefined ? undefined : Number(oldest),
  };
}

/** Deletes events published before `before` (ms); returns how many. */
export async function purgeSent(db: Executor, before: number): Promise<number> {
  const result = await db
    .deleteFrom('outbox')
    .where('sentAt', 'is not', null)
    .where('sentAt', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
