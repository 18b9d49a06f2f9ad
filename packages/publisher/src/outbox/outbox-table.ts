/**
 * The outbox table as SQL sees it. The publisher runs its queries without the caller's Kysely
 * plugins (`withoutPlugins()`), so a caller's CamelCasePlugin (or any other) never changes the
 * column names it writes; these snake_case names are the table's real ones.
 */
import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** The SQL dialects the publisher supports; leadership and the id column differ. */
export type SqlDialect = 'sqlite' | 'postgres';

/** Name of the outbox table. */
export const OUTBOX_TABLE = 'outbox';

/** One row of the outbox table, column names as in SQL. */
export interface OutboxTable {
  /** Allocation order; the relay publishes in this order. */
  id: Generated<number | string>;
  event_id: string;
  kind: string;
  /** Message key (`kind:target`). */
  message_key: string;
  /** The encoded event, exactly as it goes on the wire. */
  payload: string;
  /**
   * Record headers beyond `event-id`, as a JSON object of strings (a brake's signature, a trace context); null
   * when none. Added by `outboxHeadersMigration`.
   */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  /** ms since the epoch: the event's `issuedAt`. */
  created_at: number | string;
  /** ms since the epoch when the broker acknowledged it; null while unsent. */
  sent_at: ColumnType<number | string | null, number | null | undefined, number | null>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
}

/** The part of a database the publisher touches. */
export interface OutboxSchema {
  outbox: OutboxTable;
}

/**
 * The caller's database or one of its transactions, whatever its schema (it must hold the
 * outbox table, see `outboxMigration`).
 */
export type OutboxExecutor<DB> = Kysely<DB> | Transaction<DB>;

/**
 * The caller's database or transaction, seen as the outbox schema without the caller's plugins.
 * A transaction stays the same transaction (Kysely keeps its connection).
 */
export function outboxView<DB>(executor: OutboxExecutor<DB>): Kysely<OutboxSchema> {
  return executor.withoutPlugins() as unknown as Kysely<OutboxSchema>;
}
