/**
 * The issuer's own database: accounts, sessions and its signing key, and the publisher's outbox
 * beside them, created by the publisher's migration under a name in this service's sequence.
 */
import { Kysely, PostgresDialect } from 'kysely';
import type { ColumnType, Generated } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration } from 'kysely/migration';
import pg from 'pg';
import { outboxMigration } from '@revocation-fabric/publisher';
import type { OutboxTable } from '@revocation-fabric/publisher';

export interface Database {
  accounts: {
    id: string;
    username: string;
    password_hash: string;
    created_at: Generated<Date>;
  };
  sessions: {
    id: string;
    account_id: string;
    created_at: Generated<Date>;
    revoked_at: Date | null;
  };
  signing_keys: {
    kid: string;
    /** The private JWK, JSON; the public half is derived from it. */
    private_jwk: ColumnType<Record<string, unknown>, string, never>;
    created_at: Generated<Date>;
  };
  outbox: OutboxTable;
}

const migrations: Record<string, Migration> = {
  '0001-accounts-sessions-keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('signing_keys')
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('private_jwk', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
        .execute();
    },
  },
  // The publisher's table, in this service's own migration sequence.
  '0002-revocation-outbox': outboxMigration({ dialect: 'postgres' }),
};

/** Connects and brings the schema up to date. */
export async function openDatabase(url: string): Promise<Kysely<Database>> {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }
  return db;
}
