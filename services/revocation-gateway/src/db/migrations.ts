/**
 * The gateway's schema, migrated at start by Kysely's Migrator (which locks while it migrates,
 * so instances starting together do not race). Append-only.
 */
import { Migrator } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { Logger } from 'pino';
import { outboxHeadersMigration, outboxMigration } from '@revocation-fabric/publisher';
import type { DataStore } from './connect.js';

/** The migrations for one dialect, in order. */
export function gatewayMigrations(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  return {
    '0001-revocation-outbox': outboxMigration({ dialect }),
    '0002-seen-signals': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('seen_signals')
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('jti', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('seen_signals_pk', ['issuer', 'jti'])
          .execute();
        await db.schema
          .createIndex('seen_signals_expires_at')
          .on('seen_signals')
          .column('expires_at')
          .execute();
        await db.schema
          .createTable('ssf_receivers')
          .addColumn('provider', 'text', (c) => c.primaryKey())
          .addColumn('push_authorization', 'text', (c) => c.notNull())
          .addColumn('stream_id', 'text')
          .addColumn('audience', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0003-outbox-headers': outboxHeadersMigration(),
  };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(gatewayMigrations(this.dialect));
  }
}

/**
 * Brings the schema to the latest version.
 *
 * @example
 * ```ts
 * await migrateToLatest(store, logger);
 * ```
 * @throws the failing migration's error.
 */
export async function migrateToLatest(store: DataStore, logger: Logger): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: new StaticMigrationProvider(store.dialect),
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migrated');
    if (result.status === 'Error')
      logger.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error !== undefined)
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
}
