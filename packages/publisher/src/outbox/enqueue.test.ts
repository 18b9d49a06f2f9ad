/**
 * The outbox table and enqueue on a real (in-memory) SQLite database: the migration on a fresh
 * database and on one whose table an earlier migration created, enqueue inside a caller's
 * transaction whatever the caller's Kysely plugins, and the shared clock.
 */
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { CutoffInFutureError, decodeEvent } from '@revocation-fabric/protocol';
import { outboxBacklog } from './backlog.js';
import { enqueue } from './enqueue.js';
import { outboxHeadersMigration, outboxMigration } from './migration.js';

interface CamelSchema {
  sessions: { id: string; revokedAt: number | null };
}

const opened: Kysely<unknown>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

function memoryDb<DB>(plugins: boolean): Kysely<DB> {
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
    plugins: plugins ? [new CamelCasePlugin()] : [],
  });
  opened.push(db as unknown as Kysely<unknown>);
  return db;
}

async function outboxRows(db: Kysely<unknown>) {
  const { rows } = await sql<Record<string, unknown>>`select * from outbox order by id`.execute(
    db.withoutPlugins(),
  );
  return rows;
}

describe('outboxMigration and enqueue', () => {
  it('creates the table on a fresh database and stores a validated, encoded event', async () => {
    const db = memoryDb<CamelSchema>(true);
    await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.insertInto('sessions').values({ id: 's1', revokedAt: null }).execute();
    const clock = () => 1_700_000_000_123;

    const event = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('sessions')
        .set({ revokedAt: clock() })
        .where('id', '=', 's1')
        .execute();
      return enqueue(
        trx,
        { kind: 'session', sid: 's1', reason: 'logout', actor: 'u1', iss: 'https://auth.test' },
        { now: clock },
      );
    });

    // The caller's CamelCasePlugin did not rename the outbox's columns.
    const [row] = await outboxRows(db as unknown as Kysely<unknown>);
    expect(row).toMatchObject({
      event_id: event.id,
      kind: 'session',
      message_key: `session:${encodeURIComponent('https://auth.test')}:s1`,
      created_at: 1_700_000_000_123,
      sent_at: null,
      attempts: 0,
    });
    // The event and the row it accompanies read the same clock.
    expect(event.issuedAt).toBe(1_700_000_000_123);
    const session = await db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
    expect(session.revokedAt).toBe(event.issuedAt);
    expect(decodeEvent(String(row?.['payload']))).toEqual(event);
    expect(await outboxBacklog(db)).toEqual({ depth: 1, oldestCreatedAt: 1_700_000_000_123 });
  });

  it('commits nothing when the caller’s transaction rolls back, or when the event is invalid', async () => {
    const db = memoryDb<Record<string, never>>(false);
    await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
    const iss = 'https://auth.test';
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(trx, { kind: 'session', sid: 's', reason: 'logout', actor: 'u', iss });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await expect(
      db.transaction().execute(async (trx) => {
        await enqueue(
          trx,
          { kind: 'global', cutoff: 1_000_000 + 3_600_000, reason: 'emergency', actor: 'o', iss },
          { now: () => 1_000_000 },
        );
      }),
    ).rejects.toThrow(CutoffInFutureError);
    expect(await outboxRows(db as unknown as Kysely<unknown>)).toEqual([]);
    // Something observable still happens on this table: the next enqueue lands.
    await enqueue(db, { kind: 'session', sid: 's', reason: 'logout', actor: 'u', iss });
    expect(await outboxRows(db as unknown as Kysely<unknown>)).toHaveLength(1);
  });

  it('leaves a table created by an earlier migration (the user-service’s 0001) as it was', async () => {
    const db = memoryDb<unknown>(false);
    // The user-service's outbox DDL from before the hand-over, verbatim in SQL.
    await sql`create table outbox (id integer primary key autoincrement, event_id text not null unique,
      kind text not null, message_key text not null, payload text not null, created_at bigint not null,
      sent_at bigint, attempts integer default 0 not null, last_error text)`.execute(db);
    await sql`create index outbox_unsent on outbox (id) where sent_at is null`.execute(db);
    await sql`create index outbox_sent_at on outbox (sent_at)`.execute(db);
    await enqueue(db, { kind: 'session', sid: 's1', reason: 'logout', actor: 'o', iss: 'x' });

    await outboxMigration({ dialect: 'sqlite' }).up(db);

    expect(await outboxRows(db)).toHaveLength(1);
    await enqueue(db, { kind: 'session', sid: 's2', reason: 'logout', actor: 'o', iss: 'x' });
    expect((await outboxRows(db)).map((r) => r['message_key'])).toEqual([
      'session:x:s1',
      'session:x:s2',
    ]);
  });

  it('commits a brake with the signature its signer made over the encoded event, and refuses an unsigned one', async () => {
    const db = memoryDb<unknown>(false);
    await outboxMigration({ dialect: 'sqlite' }).up(db);
    const brake = {
      kind: 'key',
      kid: 'k1',
      reason: 'key-compromise',
      actor: 'o',
      iss: 'x',
    } as const;
    await expect(enqueue(db, brake)).rejects.toThrow(/brake and needs options.signBrake/);
    expect(await outboxRows(db)).toHaveLength(0);

    const signed: string[] = [];
    await enqueue(db, brake, {
      signBrake: (payload) => {
        signed.push(payload);
        return Promise.resolve('header..signature');
      },
    });
    const [row] = await outboxRows(db);
    expect(signed).toEqual([row?.['payload']]);
    expect(JSON.parse(String(row?.['headers']))).toEqual({
      'revocation-signature': 'header..signature',
    });
  });

  it('adds the headers column to an outbox created before it (outboxHeadersMigration), once', async () => {
    const db = memoryDb<unknown>(false);
    await sql`create table outbox (id integer primary key autoincrement, event_id text not null unique,
      kind text not null, message_key text not null, payload text not null, created_at bigint not null,
      sent_at bigint, attempts integer default 0 not null, last_error text)`.execute(db);
    await outboxHeadersMigration().up(db);
    await outboxHeadersMigration().up(db);
    await enqueue(
      db,
      { kind: 'global', cutoff: Date.now(), reason: 'emergency', actor: 'o', iss: 'x' },
      { signBrake: () => Promise.resolve('h..s') },
    );
    expect((await outboxRows(db))[0]?.['headers']).toBe('{"revocation-signature":"h..s"}');
  });

  it('down() drops the table', async () => {
    const db = memoryDb<unknown>(false);
    const migration = outboxMigration({ dialect: 'sqlite' });
    await migration.up(db);
    await migration.down(db);
    await expect(outboxRows(db)).rejects.toThrow(/no such table/);
  });

  it('refuses an unknown dialect with a TypeError naming it', () => {
    expect(() => outboxMigration({ dialect: 'mysql' as 'sqlite' })).toThrow(TypeError);
  });
});
