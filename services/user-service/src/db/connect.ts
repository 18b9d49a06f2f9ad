/**
 * One typed data layer over two real databases: Kysely with better-sqlite3 (embedded, the
 * default) or with pg (PostgreSQL, for several instances).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config.js';
import { CommitGroup } from './commit-group.js';
import { withStatementCache } from './statement-cache.js';
import type { Database, Db } from './schema.js';

/** Which SQL dialect a store speaks; a few statements (row locks, advisory locks) differ. */
export type DialectName = 'sqlite' | 'postgres';

/** An open database. */
export interface DataStore {
  readonly db: Db;
  readonly dialect: DialectName;
  /** Group commit of the revocation transactions (one durable flush for those queued together). */
  readonly commits: CommitGroup<Database>;
  /** Runs a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>;
  /** Closes every connection. */
  close(): Promise<void>;
}

const PG_INT8_OID = 20;

/**
 * Opens the configured database.
 *
 * @example
 * ```ts
 * const store = openDataStore({ kind: 'sqlite', path: './data/users.sqlite' }, logger);
 * ```
 */
export function openDataStore(config: DatabaseConfig, logger: Logger): DataStore {
  const plugins = [new CamelCasePlugin()];
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const sqlite = new SqliteDatabase(config.path);
    // WAL lets readers proceed during a write; FULL sync because an answered revocation must
    // survive a power cut, not just a crash.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      plugins,
    });
    return {
      db,
      dialect: 'sqlite',
      commits: new CommitGroup(db),
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    // Millisecond instants are BIGINT; pg returns those as strings unless told otherwise. They
    // stay far below 2^53, so numbers are exact.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === PG_INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
  return {
    db,
    dialect: 'postgres',
    // Leave connections for authentication reads and the relay (which holds one for its
    // advisory lock); more batches in flight than that would only queue for the pool.
    commits: new CommitGroup(db, {
      concurrency: Math.max(1, Math.min(4, config.poolMax - 2)),
      // Works of one batch wait for nobody's row lock for long: two batches (of this instance
      // or another) locking rows in opposite orders would otherwise deadlock for
      // deadlock_timeout, and one contended row would stall all the batch's callers. On timeout
      // the batch splits and each work runs alone, waiting as long as it needs.
      prepareBatch: async (trx) => {
        await sql`set local lock_timeout = '200ms'`.execute(trx);
      },
    }),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
