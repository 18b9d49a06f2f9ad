/**
 * What the relay reads and writes in the outbox table. Instants and ids are BIGINT; PostgreSQL's
 * driver may return those as strings, so every value read is turned into a number here.
 */
import { outboxView } from './outbox-table.js';
import type { OutboxExecutor } from './outbox-table.js';

/** One unsent event as the relay sees it. */
export interface PendingEvent {
  readonly id: number;
  readonly eventId: string;
  readonly messageKey: string;
  readonly payload: string;
  /** Record headers to send with it (a brake's signature, a trace context), beyond `event-id`. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly attempts: number;
}

/** The oldest unsent events, in allocation order. */
export async function pendingEvents<DB>(
  db: OutboxExecutor<DB>,
  limit: number,
): Promise<PendingEvent[]> {
  const rows = await outboxView(db)
    .selectFrom('outbox')
    .select(['id', 'event_id', 'message_key', 'payload', 'headers', 'attempts'])
    .where('sent_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    eventId: row.event_id,
    messageKey: row.message_key,
    payload: row.payload,
    headers: row.headers === null ? undefined : (JSON.parse(row.headers) as Record<string, string>),
    attempts: Number(row.attempts),
  }));
}

/** Marks events as acknowledged by the broker at `now` (ms). */
export async function markSent<DB>(
  db: OutboxExecutor<DB>,
  ids: readonly number[],
  now: number,
): Promise<void> {
  if (ids.length === 0) return;
  await outboxView(db).updateTable('outbox').set({ sent_at: now }).where('id', 'in', ids).execute();
}

/** Records a failed publish attempt on each event, for operators reading the table. */
export async function recordAttemptFailed<DB>(
  db: OutboxExecutor<DB>,
  ids: readonly number[],
  message: string,
): Promise<void> {
  if (ids.length === 0) return;
  await outboxView(db)
    .updateTable('outbox')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message.slice(0, 500) }))
    .where('id', 'in', ids)
    .execute();
}

/** Deletes events acknowledged before `before` (ms); returns how many. */
export async function purgeSent<DB>(db: OutboxExecutor<DB>, before: number): Promise<number> {
  const result = await outboxView(db)
    .deleteFrom('outbox')
    .where('sent_at', 'is not', null)
    .where('sent_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
