/**
 * Who relays. On PostgreSQL several instances share one database and exactly one relays at a
 * time: each tries a session-level advisory lock on a connection it then keeps for all its relay
 * queries; the holder relays, the others try again later and take over when the holder's
 * connection closes (stop, crash, network loss). A single relay keeps the events of one key in
 * allocation order, so log compaction keeps the last — per target the strongest — event. SQLite
 * is one process per file, so there the relay simply leads.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SqlDialect } from '../outbox/outbox-table.js';

/** PostgreSQL advisory-lock id of the relay leadership; any constant shared by all instances. */
export const DEFAULT_RELAY_LOCK_ID = 7_266_110_123_451n;

/**
 * Runs `lead` with the database connection to relay on, if this instance may lead now.
 *
 * @returns false when another instance holds the leadership (then `lead` did not run).
 */
export async function withLeadership<DB>(
  db: Kysely<DB>,
  dialect: SqlDialect,
  lockId: bigint,
  lead: (connection: Kysely<DB>) => Promise<void>,
): Promise<boolean> {
  if (dialect === 'sqlite') {
    await lead(db);
    return true;
  }
  return db.connection().execute(async (connection) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${lockId.toString()}::bigint) as locked`.execute(connection);
    if (rows[0]?.locked !== true) return false;
    try {
      await lead(connection);
    } finally {
      await sql`select pg_advisory_unlock(${lockId.toString()}::bigint)`
        .execute(connection)
        .catch(() => {
          // The connection is gone, and with it the lock.
        });
    }
    return true;
  });
}
