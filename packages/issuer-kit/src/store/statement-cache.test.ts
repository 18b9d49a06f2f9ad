import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './statement-cache.js';

const open: SqliteDatabase.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function database(): SqliteDatabase.Database {
  const db = new SqliteDatabase(':memory:');
  open.push(db);
  return db;
}

describe('withStatementCache', () => {
  it('prepares each SQL text once and reuses it for every later run', async () => {
    const raw = database();
    const prepare = vi.spyOn(raw, 'prepare');
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(raw) }),
    });
    await db.schema.createTable('t').addColumn('id', 'integer').addColumn('v', 'text').execute();
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    const rows = await db.selectFrom('t').select('v').where('id', '>', 2).execute();
    expect(rows.map((r) => r.v)).toEqual(['v3', 'v4']);
    // create table, one insert text, one select text.
    expect(prepare).toHaveBeenCalledTimes(3);
  });

  it('passes everything else through to the database', () => {
    const db = withStatementCache(database());
    expect(db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(db.open).toBe(true);
  });
});
