/**
 * The gateway's schema, migrated at start by the issuer kit's `migrateToLatest`. Append-only;
 * names are recorded in every database, so never rename one.
 */
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { outboxHeadersMigration, outboxMigration } from '@revocation-fabric/publisher';
import type { SqlDialect } from '@revocation-fabric/publisher';

/** The migrations for one dialect, in order. */
export function gatewayMigrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-revocation-outbox': outboxMigration({ dialect }),
    '0002-seen-signals': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('seen_signals')
          .addColumn('issuer', 'text', (c) => c.notNull())
          .addColumn('jti', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .addColumn('expires_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('seen_signals_pk', ['issuer', 'jti'])
          .execute();
        await db.schema
          .createIndex('seen_signals_expires_at')
          .on('seen_signals')
          .column('expires_at')
          .execute();
        await db.schema
          .createTable('ssf_receivers')
          .addColumn('provider', 'text', (c) => c.primaryKey())
          .addColumn('push_authorization', 'text', (c) => c.notNull())
          .addColumn('stream_id', 'text')
          .addColumn('audience', 'text')
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0003-outbox-headers': outboxHeadersMigration(),
  };
}
