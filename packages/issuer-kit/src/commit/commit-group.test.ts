import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommitGroup } from './commit-group.js';

interface TestSchema {
  sessions: { id: string; revoked: number };
}

let sqlite: SqliteDatabase.Database;
let db: Kysely<TestSchema>;
let commits: number;

beforeEach(async () => {
  sqlite = new SqliteDatabase(':memory:');
  db = new Kysely<TestSchema>({
    dialect: new SqliteDialect({ database: sqlite }),
    // Counts real commits as the database sees them, not as the group counts them.
    log: (event) => {
      if (event.level === 'query' && /^commit/i.test(event.query.sql)) commits += 1;
    },
  });
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .execute();
  commits = 0;
});

afterEach(async () => {
  await db.destroy();
});

const revoke =
  (id: string) =>
  ({ trx }: { readonly trx: Kysely<TestSchema> }) =>
    trx.insertInto('sessions').values({ id, revoked: 1 }).execute();

async function ids(): Promise<string[]> {
  const rows = await db.selectFrom('sessions').select('id').orderBy('id').execute();
  return rows.map((row) => row.id);
}

describe('CommitGroup', () => {
  it('commits the works queued together once, and each caller gets its own result', async () => {
    const group = new CommitGroup(db);
    const results = await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) =>
        group.run(async ({ trx }) => {
          await revoke(id)({ trx });
          return `done ${id}`;
        }),
      ),
    );
    expect(results).toEqual(['done a', 'done b', 'done c', 'done d']);
    expect(await ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(commits).toBe(1);
    expect(group.stats()).toEqual({ commits: 1, works: 4, splitBatches: 0 });
  });

  it('lets a work see the writes of the works before it in its batch', async () => {
    const group = new CommitGroup(db);
    const [, seen] = await Promise.all([
      group.run(revoke('first')),
      group.run(async ({ trx }) => {
        const row = await trx
          .selectFrom('sessions')
          .select('id')
          .where('id', '=', 'first')
          .executeTakeFirst();
        return row?.id;
      }),
    ]);
    expect(seen).toBe('first');
  });

  it('fails only the caller whose work throws; the others are committed', async () => {
    const group = new CommitGroup(db);
    const outcomes = await Promise.allSettled([
      group.run(revoke('a')),
      group.run(async ({ trx }) => {
        await revoke('b')({ trx });
        throw new Error('b refuses');
      }),
      // A constraint violation inside the database fails its own caller only, too.
      group.run(revoke('a')),
      group.run(revoke('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('b refuses');
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    expect(await ids()).toEqual(['a', 'c']);
    expect(group.stats()).toMatchObject({ works: 2, splitBatches: 1 });
  });

  it('rejects every caller and re-runs nothing when the shared commit fails', async () => {
    // A deferred foreign key is checked at COMMIT: the commit fails after every work ran.
    sqlite.pragma('foreign_keys = ON');
    await sql`create table parents (id text primary key)`.execute(db);
    await sql`create table children (id text primary key, parent text references parents (id) deferrable initially deferred)`.execute(
      db,
    );
    const runs: string[] = [];
    const group = new CommitGroup(db);
    const outcomes = await Promise.allSettled([
      group.run(async ({ trx }) => {
        runs.push('orphan');
        await sql`insert into children (id, parent) values ('c', 'missing')`.execute(trx);
      }),
      group.run(async ({ trx }) => {
        runs.push('session');
        await revoke('s')({ trx });
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(runs).toEqual(['orphan', 'session']);
    expect(await ids()).toEqual([]);
  });

  it('runs prepareBatch in shared transactions only', async () => {
    let prepared = 0;
    const group = new CommitGroup(db, {
      prepareBatch: () => {
        prepared += 1;
        return Promise.resolve();
      },
    });
    await Promise.all([group.run(revoke('a')), group.run(revoke('b'))]);
    await group.run(revoke('c'));
    expect(prepared).toBe(1);
    expect(await ids()).toEqual(['a', 'b', 'c']);
  });

  it('never commits more than maxBatch works together', async () => {
    const group = new CommitGroup(db, { maxBatch: 3 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => group.run(revoke(`s${i}`))));
    expect((await ids()).length).toBe(7);
    expect(commits).toBe(3);
  });

  it('settles a work only after its batch has committed', async () => {
    const group = new CommitGroup(db);
    const commitsAtSettle = await Promise.all([
      group.run(revoke('x')).then(() => commits),
      group.run(revoke('y')).then(() => commits),
    ]);
    expect(commitsAtSettle).toEqual([1, 1]);
  });

  it('hands out batches of at most maxBatch works under concurrency', async () => {
    const group = new CommitGroup(db, { maxBatch: 2, concurrency: 2 });
    let running = 0;
    let most = 0;
    const yielding =
      (id: string) =>
      async ({ trx }: { readonly trx: Kysely<TestSchema> }) => {
        running += 1;
        most = Math.max(most, running);
        await Promise.resolve();
        await revoke(id)({ trx });
        running -= 1;
      };
    // SQLite has one connection: the second batch waits for it, so at most one work runs; the
    // group itself must still have handed out two batches (two commits for four works).
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => group.run(yielding(id))));
    expect(await ids()).toEqual(['a', 'b', 'c', 'd']);
    expect(commits).toBe(2);
    expect(most).toBe(1);
  });

  it('runs a work’s afterCommit effects once, after the commit of its successful attempt', async () => {
    const group = new CommitGroup(db);
    const effects: string[] = [];
    const outcomes = await Promise.allSettled([
      group.run(async ({ trx, afterCommit }) => {
        await revoke('a')({ trx });
        afterCommit(() => effects.push(`a after ${commits} commit(s)`));
      }),
      group.run(async ({ trx, afterCommit }) => {
        afterCommit(() => effects.push('b'));
        await revoke('b')({ trx });
        throw new Error('b refuses');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    // `a` ran twice (in the batch rolled back for `b`, then alone): its effect ran once, after
    // its own commit; `b`'s never ran.
    expect(effects).toEqual(['a after 1 commit(s)']);
    expect(group.stats()).toMatchObject({ commits: 1, works: 1, splitBatches: 1 });
  });

  it('reports an effect that throws and still settles its caller with the committed result', async () => {
    const failures: unknown[] = [];
    const group = new CommitGroup(db, { effectFailed: (error) => failures.push(error) });
    const result = await group.run(async ({ trx, afterCommit }) => {
      await revoke('a')({ trx });
      afterCommit(() => {
        throw new Error('effect broke');
      });
      return 'committed';
    });
    expect(result).toBe('committed');
    expect(failures).toEqual([new Error('effect broke')]);
    expect(await ids()).toEqual(['a']);
  });

  it('refuses a maxBatch or concurrency that is not a positive integer', () => {
    expect(() => new CommitGroup(db, { maxBatch: 0 })).toThrow(/maxBatch/);
    expect(() => new CommitGroup(db, { concurrency: 1.5 })).toThrow(/concurrency/);
  });
});
