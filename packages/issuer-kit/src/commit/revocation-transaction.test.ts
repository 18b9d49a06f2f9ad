/** The one way issuers write revocations, on a real SQLite file (the kit's store). */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import {
  outboxBacklog,
  outboxHeadersMigration,
  outboxMigration,
} from '@revocation-fabric/publisher';
import type { Kysely } from 'kysely';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';
import { openIssuerStore } from '../store/open-store.js';
import type { IssuerStore } from '../store/open-store.js';
import type { IssuerOutboxTable } from '../store/outbox-table.js';
import { createTestDatabase } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { revocationTransaction } from './revocation-transaction.js';
import type { RevocationTransactionSetup } from './revocation-transaction.js';

interface Schema {
  sessions: { id: string; revokedAt: number | null };
  outbox: IssuerOutboxTable;
}

const NOW = 1_800_000_000_000;
const logger = pino({ level: 'silent' });
let database: TestDatabase;
let store: IssuerStore<Schema>;
let wakes: number;
let committed: (readonly RevocationEvent[])[];

function setup(
  overrides: Partial<RevocationTransactionSetup<Schema>> = {},
): RevocationTransactionSetup<Schema> {
  return {
    commits: store.commits,
    issuer: 'https://issuer.test',
    now: () => NOW,
    wake: () => (wakes += 1),
    committed: (events) => committed.push(events),
    ...overrides,
  };
}

beforeEach(async () => {
  database = await createTestDatabase('sqlite', { prefix: 'issuer_kit' });
  store = openIssuerStore<Schema>(database.config, logger);
  await migrateToLatest(
    store,
    {
      '0001-outbox': outboxMigration({ dialect: store.dialect }),
      '0002-outbox-headers': outboxHeadersMigration(),
      '0003-sessions': {
        async up(db: Kysely<unknown>) {
          await db.schema
            .createTable('sessions')
            .addColumn('id', 'text', (c) => c.primaryKey())
            .addColumn('revoked_at', 'bigint')
            .execute();
        },
      },
    },
    logger,
  );
  await store.db
    .insertInto('sessions')
    .values([
      { id: 's1', revokedAt: null },
      { id: 's2', revokedAt: null },
    ])
    .execute();
  wakes = 0;
  committed = [];
});

afterEach(async () => {
  await store.close();
  await database.drop();
});

/** Revokes a session with its event; `nothing-to-do` when it was revoked already. */
const logout = (sid: string) => setupAndRun(setup(), sid);

function setupAndRun(s: RevocationTransactionSetup<Schema>, sid: string) {
  return revocationTransaction(s, async ({ trx, emit }) => {
    const updated = await trx
      .updateTable('sessions')
      .set({ revokedAt: NOW })
      .where('id', '=', sid)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'nothing-to-do' as const;
    await emit({ kind: 'session', sid, reason: 'logout', actor: 'user-1' });
    return 'revoked' as const;
  });
}

describe('revocationTransaction', () => {
  it('commits the state change with its event, then wakes the relay and reports the events', async () => {
    const { result, events } = await logout('s1');
    expect(result).toBe('revoked');
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: 's1',
        iss: 'https://issuer.test',
        issuedAt: NOW,
      }),
    ]);
    expect((await outboxBacklog(store.db)).depth).toBe(1);
    expect(wakes).toBe(1);
    expect(committed).toEqual([events]);
  });

  it('neither wakes the relay nor reports anything for a work that emitted nothing', async () => {
    await logout('s1');
    const again = await logout('s1');
    expect(again).toEqual({ result: 'nothing-to-do', events: [] });
    expect(wakes).toBe(1);
    expect(committed).toHaveLength(1);
  });

  it('counts only the committed attempt’s events when a batch is rolled back and re-run', async () => {
    const effects: string[] = [];
    const outcomes = await Promise.allSettled([
      revocationTransaction(setup(), async ({ trx, emit, afterCommit }) => {
        await trx.updateTable('sessions').set({ revokedAt: NOW }).where('id', '=', 's1').execute();
        await emit({ kind: 'session', sid: 's1', reason: 'logout', actor: 'user-1' });
        afterCommit(() => effects.push('s1 committed'));
        return 's1';
      }),
      revocationTransaction(setup(), async ({ emit }) => {
        await emit({ kind: 'session', sid: 's2', reason: 'logout', actor: 'user-1' });
        throw new Error('refused after emitting');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    const first = outcomes[0] as PromiseFulfilledResult<{ events: readonly RevocationEvent[] }>;
    expect(first.value.events.map((e) => e.kind === 'session' && e.sid)).toEqual(['s1']);
    expect(effects).toEqual(['s1 committed']);
    expect(committed).toHaveLength(1);
    expect((await outboxBacklog(store.db)).depth).toBe(1);
    expect(store.commits.stats()).toMatchObject({ splitBatches: 1 });
  });

  it('commits a batch whose work found nothing to do without splitting it', async () => {
    await logout('s1');
    const results = await Promise.all([logout('s1'), logout('s2')]);
    expect(results.map((r) => r.result)).toEqual(['nothing-to-do', 'revoked']);
    expect(store.commits.stats()).toMatchObject({ splitBatches: 0 });
  });

  it('signs a brake inside the attempt’s transaction', async () => {
    const signedIn: unknown[] = [];
    const { events } = await revocationTransaction(
      setup({
        signBrake: (trx, payload) => {
          signedIn.push(trx);
          return Promise.resolve(`signed:${payload.length}`);
        },
      }),
      async ({ trx, emit }) => {
        signedIn.push(trx);
        return emit({
          kind: 'global',
          cutoff: NOW,
          generation: 1,
          reason: 'emergency',
          actor: 'admin',
        });
      },
    );
    expect(events.map((e) => e.kind)).toEqual(['global']);
    expect(signedIn[1]).toBe(signedIn[0]);
    const row = await store.db.selectFrom('outbox').select('headers').executeTakeFirstOrThrow();
    expect(row.headers).toMatch(/signed:/);
  });

  it('takes each event’s own iss, and refuses an event without one when the writer has none', async () => {
    const named = await revocationTransaction(setup({ issuer: undefined }), ({ emit }) =>
      emit({ kind: 'session', sid: 's9', reason: 'logout', actor: 'idp', iss: 'https://idp.test' }),
    );
    expect(named.result.iss).toBe('https://idp.test');
    await expect(
      revocationTransaction(setup({ issuer: undefined }), ({ emit }) =>
        emit({ kind: 'session', sid: 's9', reason: 'logout', actor: 'idp' }),
      ),
    ).rejects.toThrow(TypeError);
  });
});
