/**
 * A gateway in this process for tests, on a real database (a SQLite file, or a fresh PostgreSQL
 * database), and readers of what it committed. Not part of the build.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { loadConfig } from '../config/load-config.js';
import type { DataStore } from '../db/schema.js';
import { createGateway } from '../gateway.js';
import type { Gateway } from '../gateway.js';

/** The PostgreSQL server tests create their databases on. */
export const POSTGRES_ADMIN_URL =
  process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test, and how to throw it away. */
export interface TestDatabase {
  readonly kind: 'sqlite' | 'postgres';
  readonly env: Readonly<Record<string, string>>;
  drop(): Promise<void>;
}

/** Creates an empty SQLite file or a `gw_test_<random>` PostgreSQL database. */
export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-'));
    return {
      kind,
      env: { SQLITE_PATH: join(dir, 'gateway.sqlite') },
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `gw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Creates and starts a gateway; `env` overrides the test defaults. */
export async function startTestGateway(
  providers: readonly unknown[],
  env: Readonly<Record<string, string>>,
  options: { readonly now?: () => number } = {},
): Promise<Gateway> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: '127.0.0.1:1',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    OUTBOX_POLL_INTERVAL_MS: '100',
    OUTBOX_MAX_RETRY_DELAY_MS: '1000',
    GATEWAY_PROVIDERS: JSON.stringify(providers),
    ...env,
  });
  const gateway = createGateway(config, {
    logger: pino({ level: config.logLevel, base: { service: 'gateway-test' } }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  await gateway.start();
  return gateway;
}

/** Every event in the outbox, in commit order. */
export async function outboxEvents(store: DataStore): Promise<RevocationEvent[]> {
  const rows = await store.db.selectFrom('outbox').select('payload').orderBy('id').execute();
  return rows.map((row) => decodeEvent(row.payload));
}

/** POSTs a logout token as the spec's form. */
export function postLogout(
  url: string,
  provider: string,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
): Promise<Response> {
  return fetch(`${url}/backchannel-logout/${provider}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

/** The form body carrying `token`. */
export const logoutForm = (token: string): string =>
  new URLSearchParams({ logout_token: token }).toString();

/** The value of one sample of `/metrics`, or 0. */
export async function metricValue(url: string, sample: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
