/**
 * The user-service's versioned schema migrations, run at start by the issuer kit's
 * `migrateToLatest`. Migrations are append-only: a released migration is never edited, a change
 * is a new one — with one documented exception, the outbox hand-over below, which leaves every
 * database as it was. Names are recorded in every database: never rename one.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { outboxHeadersMigration, outboxMigration } from '@revocation-fabric/publisher';
import type { SqlDialect } from '@revocation-fabric/publisher';

/**
 * The service's migrations for one dialect, in order; they differ only in the outbox's
 * auto-increment column.
 */
export function userServiceMigrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('username', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('roles', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
          .addColumn('suspended_until', 'bigint')
          .addColumn('generation', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) =>
            c.notNull().references('users.id').onDelete('cascade'),
          )
          .addColumn('auth_time', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('last_used_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint')
          .addColumn('revoke_reason', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('client_address', 'text')
          .execute();
        await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute();

        await db.schema
          .createTable('refresh_tokens')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('session_id', 'text', (c) =>
            c.notNull().references('sessions.id').onDelete('cascade'),
          )
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('used_at', 'bigint')
          .execute();
        await db.schema
          .createIndex('refresh_tokens_session_id')
          .on('refresh_tokens')
          .column('session_id')
          .execute();

        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('alg', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('activated_at', 'bigint')
          .addColumn('retired_at', 'bigint')
          .addColumn('revoked_at', 'bigint')
          .execute();
        // At most one active and one next signing key, whatever two instances rotating at once
        // might try.
        for (const status of ['active', 'next']) {
          await db.schema
            .createIndex(`signing_keys_one_${status}`)
            .on('signing_keys')
            .column('status')
            .unique()
            .where(sql.ref('status'), '=', sql.lit(status))
            .execute();
        }

        await db.schema
          .createTable('global_state')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('generation', 'bigint', (c) => c.notNull())
          .execute();
        await sql`insert into global_state (id, generation) values (1, 0)`.execute(db);

        await db.schema
          .createTable('revoked_tokens')
          .addColumn('jti', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addColumn('revoked_at', 'bigint', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('login_throttle')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('window_started_at', 'bigint', (c) => c.notNull())
          .execute();
        // The outbox table was created here until the publisher package took it over; see
        // 0002-revocation-outbox.
      },
    },
    // The outbox table belongs to @revocation-fabric/publisher. Databases created before the
    // hand-over got it from 0001-initial (the same table, columns and indexes): every statement
    // of this migration is IF NOT EXISTS, so there it changes nothing, and on a fresh database it
    // creates the table. 0001-initial no longer creating it is safe for the same reason.
    '0002-revocation-outbox': outboxMigration({ dialect }),
    // Brakes carry their signature in a record header, committed with the row.
    '0003-outbox-headers': outboxHeadersMigration(),
  };
}
