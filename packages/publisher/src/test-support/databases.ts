/**
 * Real databases for the publisher's tests: a SQLite file in a temp dir or a fresh PostgreSQL
 * database, each with a small application table (`sessions`) beside the publisher's outbox, the
 * way an adopting service has them. Nothing is mocked. Not part of the package build.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import {
  TEST_DATABASE_KINDS,
  createTestDatabase as createDatabase,
} from '@revocation-fabric/testkit';
import { outboxMigration } from '../outbox/migration.js';
import type { OutboxTable, SqlDialect } from '../outbox/outbox-table.js';

/** The two real databases every relay test runs against. */
export const DATABASE_KINDS = TEST_DATABASE_KINDS satisfies readonly SqlDialect[];

/** The application's own table in these tests. */
export interface SessionsTable {
  id: string;
  revoked_at: number | null;
}

/** An adopting service's schema: its table and the outbox. */
export interface AppSchema {
  sessions: SessionsTable;
  outbox: OutboxTable;
}

/** A database made for one test, and how to open more connections to it and drop it. */
export interface TestDatabase {
  readonly dialect: SqlDialect;
  /** Opens a new connection pool (another "instance" of the service). */
  open(): Kysely<AppSchema>;
  /** Closes every pool opened here and removes the database. */
  drop(): Promise<void>;
}

/** Creates the database, with the outbox (the publisher's migration) and a sessions table. */
export async function createTestDatabase(dialect: SqlDialect): Promise<TestDatabase> {
  const opened: Kysely<AppSchema>[] = [];
  const database = await createDatabase(dialect, { prefix: 'pub_test' });
  const { config } = database;
  const open =
    config.kind === 'sqlite'
      ? () => {
          const sqlite = new SqliteDatabase(config.path);
          sqlite.pragma('journal_mode = WAL');
          sqlite.pragma('busy_timeout = 5000');
          return new Kysely<AppSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
        }
      : () => {
          const pool = new pg.Pool({ connectionString: config.url });
          // pg ends idle clients after pool.end() resolves; the forced drop may then terminate
          // them, and an error event without a listener would crash the test process.
          pool.on('error', () => undefined);
          return new Kysely<AppSchema>({ dialect: new PostgresDialect({ pool }) });
        };
  const tracked = () => {
    const db = open();
    opened.push(db);
    return db;
  };
  const setup = tracked();
  await outboxMigration({ dialect }).up(setup as unknown as Kysely<unknown>);
  await setup.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('revoked_at', 'bigint')
    .execute();
  return {
    dialect,
    open: tracked,
    drop: async () => {
      await Promise.allSettled(opened.map((db) => db.destroy()));
      await database.drop();
    },
  };
}
