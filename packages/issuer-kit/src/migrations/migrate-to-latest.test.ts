import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIssuerStore } from '../store/open-store.js';
import type { IssuerStore } from '../store/open-store.js';
import { createTestDatabase } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { migrateToLatest } from './migrate-to-latest.js';

interface Line {
  readonly level: string;
  readonly fields: object;
  readonly message: string;
}

function recordingLogger(lines: Line[]) {
  const at = (level: string) => (fields: object, message: string) =>
    void lines.push({ level, fields, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const table = (name: string) => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createTable(name).addColumn('id', 'text').execute();
  },
});

let database: TestDatabase;
let store: IssuerStore<unknown>;

beforeEach(async () => {
  database = await createTestDatabase('sqlite', { prefix: 'issuer_kit' });
  store = openIssuerStore(database.config, recordingLogger([]));
});
afterEach(async () => {
  await store.close();
  await database.drop();
});

describe('migrateToLatest', () => {
  it('runs the pending migrations in order, once, and logs each', async () => {
    const lines: Line[] = [];
    await migrateToLatest(store, { '0001-a': table('a') }, recordingLogger(lines));
    await migrateToLatest(
      store,
      { '0001-a': table('a'), '0002-b': table('b') },
      recordingLogger(lines),
    );
    expect(lines.map((l) => [l.message, l.fields])).toEqual([
      ['migrated', { migration: '0001-a' }],
      ['migrated', { migration: '0002-b' }],
    ]);
    const names = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(store.db);
    expect(names.rows.map((r) => r.name)).toEqual(['0001-a', '0002-b']);
  });

  it('throws the failing migration’s error after logging which one failed', async () => {
    const lines: Line[] = [];
    const broken = {
      up: () => Promise.reject(new Error('no such column: nope')),
    };
    await expect(
      migrateToLatest(
        store,
        { '0001-a': table('a'), '0002-broken': broken },
        recordingLogger(lines),
      ),
    ).rejects.toThrow('no such column: nope');
    expect(lines).toContainEqual({
      level: 'error',
      fields: { migration: '0002-broken' },
      message: 'migration failed',
    });
  });
});
