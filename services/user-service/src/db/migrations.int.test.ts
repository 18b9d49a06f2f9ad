/**
 * The outbox hand-over to @revocation-fabric/publisher: a fresh database and one migrated by an
 * earlier version (whose 0001-initial created the outbox table itself) both end with the same
 * outbox table, their rows kept, and events can be enqueued and relayed from it.
 */
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue, outboxBacklog } from '@revocation-fabric/publisher';
import { migrateToLatest, openIssuerStore } from '@revocation-fabric/issuer-kit';
import type { DatabaseConfig } from '../config.js';
import { DATABASE_KINDS, createTestDatabase } from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';
import { userServiceMigrations } from './migrations.js';
import type { Database, DataStore } from './schema.js';

const logger = pino({ level: 'silent' });

function configOf(database: TestDatabase): DatabaseConfig {
  const { SQLITE_PATH, DATABASE_URL } = database.env;
  if (SQLITE_PATH !== undefined) return { kind: 'sqlite', path: SQLITE_PATH };
  return { kind: 'postgres', url: DATABASE_URL ?? '', poolMax: 2 };
}

/** The outbox's columns and indexes as the database reports them. */
async function outboxShape(store: DataStore): Promise<{ columns: string[]; indexes: string[] }> {
  if (store.dialect === 'sqlite') {
    const columns = await sql<{
      name: string;
      type: string;
      notnull: number;
    }>`select name, type, "notnull" from pragma_table_info('outbox') order by cid`.execute(
      store.db,
    );
    const indexes = await sql<{
      name: string;
    }>`select name from sqlite_master where type = 'index' and tbl_name = 'outbox' order by name`.execute(
      store.db,
    );
    return {
      columns: columns.rows.map((c) => `${c.name} ${c.type.toLowerCase()} ${c.notnull}`),
      indexes: indexes.rows.map((i) => i.name),
    };
  }
  const columns = await sql<{
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`select column_name, data_type, is_nullable from information_schema.columns
     where table_name = 'outbox' order by ordinal_position`.execute(store.db.withoutPlugins());
  const indexes = await sql<{
    indexname: string;
  }>`select indexname from pg_indexes where tablename = 'outbox' order by indexname`.execute(
    store.db.withoutPlugins(),
  );
  return {
    columns: columns.rows.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`),
    indexes: indexes.rows.map((i) => i.indexname),
  };
}

/** The outbox DDL of 0001-initial before the hand-over, verbatim. */
async function createLegacyOutbox(store: DataStore): Promise<void> {
  const id =
    store.dialect === 'postgres'
      ? sql`bigserial primary key`
      : sql`integer primary key autoincrement`;
  await sql`create table "outbox" ("id" ${id}, "event_id" text not null unique, "kind" text not null,
    "message_key" text not null, "payload" text not null, "created_at" bigint not null,
    "sent_at" bigint, "attempts" integer default 0 not null, "last_error" text)`.execute(store.db);
  await sql`create index "outbox_unsent" on "outbox" ("id") where "sent_at" is null`.execute(
    store.db,
  );
  await sql`create index "outbox_sent_at" on "outbox" ("sent_at")`.execute(store.db);
}

const event = (sid: string) =>
  ({ kind: 'session', sid, reason: 'logout', actor: 'u', iss: 'http://test' }) as const;

describe.each(DATABASE_KINDS)('the outbox table across versions on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function open(): Promise<DataStore> {
    const database = await createTestDatabase(kind);
    cleanup.push(() => database.drop());
    const store = openIssuerStore<Database>(configOf(database), logger);
    cleanup.push(() => store.close());
    return store;
  }

  it('a fresh database and one migrated before the hand-over end with the same outbox, rows kept', async () => {
    const fresh = await open();
    await migrateToLatest(fresh, userServiceMigrations(fresh.dialect), logger);

    // A database an earlier version left: 0001-initial recorded, the outbox created by it, and
    // an unsent event waiting.
    const existing = await open();
    const migrator = new Migrator({
      db: existing.db,
      provider: { getMigrations: () => Promise.resolve(userServiceMigrations(existing.dialect)) },
    });
    const first = await migrator.migrateTo('0001-initial');
    expect(first.error).toBeUndefined();
    await createLegacyOutbox(existing);
    const waiting = await enqueue(existing.db, event('before-upgrade'));

    await migrateToLatest(existing, userServiceMigrations(existing.dialect), logger);

    expect(await outboxShape(existing)).toEqual(await outboxShape(fresh));
    // The nine columns of the hand-over, and `headers` (a brake's signature) since 0003.
    expect((await outboxShape(fresh)).columns).toHaveLength(10);
    const names = (await migrator.getMigrations()).map((m) => [m.name, m.executedAt !== undefined]);
    expect(names).toEqual([
      ['0001-initial', true],
      ['0002-revocation-outbox', true],
      ['0003-outbox-headers', true],
    ]);
    // The waiting event survived, and both databases take new events.
    const rows = await existing.db.selectFrom('outbox').select('eventId').execute();
    expect(rows.map((r) => r.eventId)).toEqual([waiting.id]);
    await enqueue(existing.db, event('after-upgrade'));
    await enqueue(fresh.db, event('fresh'));
    expect((await outboxBacklog(existing.db)).depth).toBe(2);
    expect((await outboxBacklog(fresh.db)).depth).toBe(1);
  });
});
