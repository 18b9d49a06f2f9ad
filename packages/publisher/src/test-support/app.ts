/**
 * What an adopting service does in the relay tests: open sessions, and revoke each in its own
 * transaction with its outbox event — the same shape as a logout in the user-service.
 */
import { randomUUID } from 'node:crypto';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { Kysely } from 'kysely';
import { enqueue } from '../outbox/enqueue.js';
import type { AppSchema } from './databases.js';

/** Issuer of the tests' events. */
export const TEST_ISSUER = 'http://publisher.test';

/** Opens `count` sessions; returns their ids. */
export async function openSessions(db: Kysely<AppSchema>, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await db
    .insertInto('sessions')
    .values(ids.map((id) => ({ id, revoked_at: null })))
    .execute();
  return ids;
}

/** Revokes each session in its own transaction (row + outbox event), ten at a time. */
export async function logoutAll(
  db: Kysely<AppSchema>,
  sids: readonly string[],
  afterCommit: () => void = () => undefined,
): Promise<void> {
  for (let i = 0; i < sids.length; i += 10) {
    await Promise.all(
      sids.slice(i, i + 10).map(async (sid) => {
        await db.transaction().execute(async (trx) => {
          const now = Date.now();
          await trx
            .updateTable('sessions')
            .set({ revoked_at: now })
            .where('id', '=', sid)
            .execute();
          await enqueue(
            trx,
            { kind: 'session', sid, reason: 'logout', actor: 'test', iss: TEST_ISSUER },
            { now: () => now },
          );
        });
        afterCommit();
      }),
    );
  }
}

/** The highest outbox id so far (0 when empty): a mark to read "events since". */
export async function outboxMark(db: Kysely<AppSchema>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Events committed to the outbox after `mark`, in order. */
export async function outboxSince(db: Kysely<AppSchema>, mark: number): Promise<RevocationEvent[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('payload')
    .where('id', '>', mark)
    .orderBy('id')
    .execute();
  return rows.map((row) => decodeEvent(row.payload));
}

/** Unsent outbox events. */
export async function outboxDepth(db: Kysely<AppSchema>): Promise<number> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
