/**
 * The outbox table's schema, as a Kysely migration the caller adds to its own list under a name
 * in its own sequence (Kysely runs migrations in name order, so the name must be the caller's).
 * Every statement is IF NOT EXISTS: a database whose outbox table an earlier migration already
 * created (as the user-service's `0001-initial` did) is left as it is, a fresh one gets it here.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { OUTBOX_TABLE } from './outbox-table.js';
import type { SqlDialect } from './outbox-table.js';

/** Options of {@link outboxMigration}. */
export interface OutboxMigrationOptions {
  /** The database's dialect: the auto-increment id column differs. */
  readonly dialect: SqlDialect;
}

/** A migration in the shape Kysely's `Migrator` runs. */
export interface OutboxMigration {
  up(db: Kysely<unknown>): Promise<void>;
  down(db: Kysely<unknown>): Promise<void>;
}

/**
 * The migration that creates the outbox table and its indexes.
 *
 * @example
 * ```ts
 * const migrations = {
 *   '0001-initial': initial,
 *   '0002-revocation-outbox': outboxMigration({ dialect: 'postgres' }),
 * };
 * ```
 */
export function outboxMigration(options: OutboxMigrationOptions): OutboxMigration {
  const { dialect } = options;
  if (dialect !== 'sqlite' && dialect !== 'postgres') {
    throw new TypeError(
      `outboxMigration: dialect must be 'sqlite' or 'postgres', got ${String(dialect)}`,
    );
  }
  return {
    async up(db) {
      // Plugins (CamelCasePlugin…) would rename these columns; the table has these names.
      const plain = db.withoutPlugins();
      await plain.schema
        .createTable(OUTBOX_TABLE)
        .ifNotExists()
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('message_key', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute();
      // Added as an upgrade adds it, so fresh and upgraded tables have the same column order.
      await addHeadersColumn(db);
      // The relay only ever looks at unsent rows; keep that index small.
      await plain.schema
        .createIndex('outbox_unsent')
        .ifNotExists()
        .on(OUTBOX_TABLE)
        .column('id')
        .where(sql.ref('sent_at'), 'is', null)
        .execute();
      await plain.schema
        .createIndex('outbox_sent_at')
        .ifNotExists()
        .on(OUTBOX_TABLE)
        .column('sent_at')
        .execute();
    },
    async down(db) {
      await db.withoutPlugins().schema.dropTable(OUTBOX_TABLE).ifExists().execute();
    },
  };
}

/** Adds the `headers` column to an outbox table created before it existed; idempotent. */
async function addHeadersColumn(db: Kysely<unknown>): Promise<void> {
  const plain = db.withoutPlugins();
  const tables = await plain.introspection.getTables();
  const outbox = tables.find((table) => table.name === OUTBOX_TABLE);
  if (outbox === undefined || outbox.columns.some((column) => column.name === 'headers')) return;
  await plain.schema.alterTable(OUTBOX_TABLE).addColumn('headers', 'text').execute();
}

/**
 * The migration that adds the `headers` column (a brake's signature travels there) to an
 * outbox table created by an earlier version of {@link outboxMigration}. Add it to your list
 * under a new name after the outbox's own; on a fresh database it finds the column already there.
 *
 * @example
 * ```ts
 * const migrations = {
 *   '0002-revocation-outbox': outboxMigration({ dialect: 'postgres' }),
 *   '0005-outbox-headers': outboxHeadersMigration(),
 * };
 * ```
 */
export function outboxHeadersMigration(): OutboxMigration {
  return {
    up: addHeadersColumn,
    async down(db) {
      await db.withoutPlugins().schema.alterTable(OUTBOX_TABLE).dropColumn('headers').execute();
    },
  };
}
