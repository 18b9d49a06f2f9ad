/**
 * CommitGroup on a real PostgreSQL database: batches in flight at once, as the service runs it
 * there (its pool runs several transactions while each waits for round trips).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { CommitGroup } from './commit-group.js';

interface TestSchema {
  sessions: { id: string };
}

let database: TestDatabase;
let db: Kysely<TestSchema>;

beforeAll(async () => {
  database = await createTestDatabase('postgres', { prefix: 'issuer_kit' });
  if (database.config.kind !== 'postgres') throw new Error('a PostgreSQL database was asked for');
  const pool = new pg.Pool({ connectionString: database.config.url, max: 4 });
  pool.on('error', () => undefined);
  db = new Kysely<TestSchema>({ dialect: new PostgresDialect({ pool }) });
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .execute();
});

afterAll(async () => {
  await db.destroy();
  await database.drop();
});

describe('CommitGroup on PostgreSQL', () => {
  it(
    'runs a second batch while the first is still open when concurrency allows',
    { timeout: 10_000 },
    async () => {
      const group = new CommitGroup(db, { maxBatch: 1, concurrency: 2 });
      let secondRan: () => void = () => undefined;
      const second = new Promise<void>((resolve) => {
        secondRan = resolve;
      });
      // With one batch at a time this never settles: the test's own timeout fails it.
      await Promise.all([
        group.run(async ({ trx }) => {
          await trx.insertInto('sessions').values({ id: 'first' }).execute();
          await second;
        }),
        group.run(async ({ trx }) => {
          await trx.insertInto('sessions').values({ id: 'second' }).execute();
          secondRan();
        }),
      ]);
      const rows = await db.selectFrom('sessions').select('id').orderBy('id').execute();
      expect(rows.map((row) => row.id)).toEqual(['first', 'second']);
      expect(group.stats()).toMatchObject({ commits: 2, works: 2 });
    },
  );
});
