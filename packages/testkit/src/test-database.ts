/**
 * Real databases for tests: an empty SQLite file in a temp dir, or a fresh PostgreSQL database
 * on the machine's server, each with a way to throw it away. Every service and package that
 * keeps an outbox tests against both; nothing is mocked.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The two real databases an issuer runs on. */
export const TEST_DATABASE_KINDS = ['sqlite', 'postgres'] as const;

/** One of {@link TEST_DATABASE_KINDS}. */
export type TestDatabaseKind = (typeof TEST_DATABASE_KINDS)[number];

/** The PostgreSQL server tests create their databases on (`POSTGRES_URL`, else the local one). */
export const POSTGRES_ADMIN_URL =
  process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Where a test database is, as a store opens it. */
export type TestDatabaseConfig =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolMax: number };

/** A database made for one test (or file), and how to throw it away. */
export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  readonly config: TestDatabaseConfig;
  /** The standard variables that point a service at it: `SQLITE_PATH` or `DATABASE_URL`. */
  readonly env: Readonly<Record<string, string>>;
  /** Removes the file or drops the database (connections still open are terminated). */
  drop(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/**
 * Creates an empty database: `<prefix>.sqlite` in a fresh temp dir, or a PostgreSQL database
 * named `<prefix>_<random>`.
 *
 * @example
 * ```ts
 * const database = await createTestDatabase('postgres', { prefix: 'gw_test' });
 * const gateway = await startTestGateway(providers, database.env);
 * await database.drop();
 * ```
 */
export async function createTestDatabase(
  kind: TestDatabaseKind,
  options: { readonly prefix?: string } = {},
): Promise<TestDatabase> {
  const prefix = options.prefix ?? 'test';
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix))
    throw new TypeError(`prefix must be a lower-case identifier, got ${JSON.stringify(prefix)}`);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const path = join(dir, `${prefix}.sqlite`);
    return {
      kind,
      config: { kind, path },
      env: { SQLITE_PATH: path },
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    config: { kind, url: url.toString(), poolMax: 4 },
    env: { DATABASE_URL: url.toString() },
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  };
}

/**
 * The run's brokers, which the integration project's globalSetup puts in `KAFKA_BROKERS`.
 *
 * @example
 * ```ts
 * const tap = await startEventTap(kafkaBrokers(), topic);
 * ```
 */
export function kafkaBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (brokers === undefined || brokers === '') {
    throw new Error('KAFKA_BROKERS is not set: run through the vitest integration project');
  }
  return brokers.split(',');
}

/**
 * The value of one sample on a service's `/metrics`, or 0 when it is absent.
 *
 * @example
 * ```ts
 * expect(await metricValue(url, 'revocation_gateway_signals_total{outcome="accepted"}')).toBe(1);
 * ```
 */
export async function metricValue(url: string, sample: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
