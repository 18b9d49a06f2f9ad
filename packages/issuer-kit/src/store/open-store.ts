/**
 * The one file that imports the database drivers (better-sqlite3, pg): Kysely over an embedded
 * SQLite file or a PostgreSQL server, for every service that writes revocations. Nothing else
 * sees a driver type.
 *
 * Column names are camelCase in TypeScript and snake_case in SQL (Kysely's CamelCasePlugin), in
 * every service. The publisher's outbox functions run without the caller's plugins, so the
 * outbox keeps its SQL names whatever the plugin does.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { PublisherLogger, SqlDialect } from '@revocation-fabric/publisher';
import { CommitGroup } from '../commit/commit-group.js';
import type { DatabaseConfig } from './database-config.js';
import { withStatementCache } from './statement-cache.js';

/** An open database. */
export interface IssuerStore<DB> {
  readonly db: Kysely<DB>;
  /** Which SQL dialect it speaks; a few statements (row locks, advisory locks) differ. */
  readonly dialect: SqlDialect;
  /**
   * Group commit of the revocation transactions (one durable flush for those queued together);
   * use it through `revocationTransaction`.
   */
  readonly commits: CommitGroup<DB>;
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
 * const store = openIssuerStore<Database>({ kind: 'sqlite', path: './data/users.sqlite' }, logger);
 * ```
 */
export function openIssuerStore<DB>(
  config: DatabaseConfig,
  logger: PublisherLogger,
): IssuerStore<DB> {
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
    const db = new Kysely<DB>({
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
  return {
    db,
    dialect: 'postgres',
    // Leave connections for the service's reads and the relay (which holds one for its
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
