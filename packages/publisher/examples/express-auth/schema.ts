/**
 * The example auth service's database: its own `sessions` table, and the publisher's outbox
 * beside it, created by the publisher's migration in the service's own migration list.
 */
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration, MigrationProvider } from 'kysely/migration';
import SqliteDatabase from 'better-sqlite3';
import { outboxMigration } from '@revocation-fabric/publisher';
import type { OutboxTable } from '@revocation-fabric/publisher';

export interface AuthSchema {
  sessions: {
    id: string;
    user_id: string;
    created_at: number;
    revoked_at: number | null;
  };
  outbox: OutboxTable;
}

const migrations: Record<string, Migration> = {
  '0001-sessions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sessions')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
    },
  },
  // The publisher's table, under a name in this service's own sequence.
  '0002-revocation-outbox': outboxMigration({ dialect: 'sqlite' }),
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** Opens (creating if needed) the SQLite file and brings its schema up to date. */
export async function openAuthDatabase(path: string): Promise<Kysely<AuthSchema>> {
  const sqlite = new SqliteDatabase(path);
  // An answered revocation must survive a power cut.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  const db = new Kysely<AuthSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined)
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return db;
}
