/**
 * The one file that imports the database drivers (better-sqlite3, pg): Kysely over an embedded
 * SQLite file or a PostgreSQL server. Nothing else in the gateway sees a driver type.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../config/load-config.js';
import type { GatewayDatabase, GatewayDb } from './schema.js';

/** An open database. */
export interface DataStore {
  readonly db: GatewayDb;
  readonly dialect: 'sqlite' | 'postgres';
  /** Throws when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PG_INT8_OID = 20;

/**
 * Opens the configured database.
 *
 * @example
 * ```ts
 * const store = openDataStore({ kind: 'sqlite', path: './data/gateway.sqlite' }, logger);
 * ```
 */
export function openDataStore(config: DatabaseConfig, logger: Logger): DataStore {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    const sqlite = new SqliteDatabase(config.path);
    // FULL sync: an answered signal must survive a power cut, not just a crash.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<GatewayDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    return {
      db,
      dialect: 'sqlite',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    // BIGINT milliseconds stay far below 2^53: numbers are exact.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === PG_INT8_OID && format !== 'binary'
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  const db = new Kysely<GatewayDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
