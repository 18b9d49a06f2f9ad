/** A throw-away PostgreSQL database for one benchmark, on the machine's server (`POSTGRES_URL`). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env['POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** An empty database and how to remove it. */
export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates `bench_<prefix>_<random>`; `drop()` removes it even with connections left open. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `bench_${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}
