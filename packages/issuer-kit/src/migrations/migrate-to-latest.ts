/**
 * Versioned schema migrations, run at start by Kysely's Migrator. Kysely takes a lock while it
 * migrates (an advisory lock on PostgreSQL), so instances starting together do not race. Each
 * service keeps its own ordered list (the outbox's come from the publisher); a released
 * migration is never renamed, since its name is recorded in every database it ran on.
 */
import { Migrator } from 'kysely/migration';
import type { Migration } from 'kysely/migration';
import type { Kysely } from 'kysely';
import type { PublisherLogger } from '@revocation-fabric/publisher';

/** A service's migrations for one dialect, by name, in the order they run. */
export type MigrationList = Readonly<Record<string, Migration>>;

/**
 * Brings the schema to the latest version.
 *
 * @example
 * ```ts
 * await migrateToLatest(store, userServiceMigrations(store.dialect), logger);
 * ```
 * @throws the failing migration's error, after logging which one failed.
 */
export async function migrateToLatest<DB>(
  store: { readonly db: Kysely<DB> },
  migrations: MigrationList,
  logger: PublisherLogger,
): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info({ migration: result.migrationName }, 'migrated');
    if (result.status === 'Error') {
      logger.error({ migration: result.migrationName }, 'migration failed');
    }
  }
  if (error !== undefined)
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
}
