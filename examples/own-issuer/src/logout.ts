/**
 * Ending a session the durable way: the session row and its revocation event commit in one
 * transaction (`enqueue`), and the relay publishes the event afterwards. The HTTP answer never
 * waits for Kafka, and no logout is lost if Kafka is away: the event waits in the outbox.
 */
import type { Kysely } from 'kysely';
import { enqueue } from '@revocation-fabric/publisher';
import type { OutboxRelay } from '@revocation-fabric/publisher';
import type { Database } from './database.js';

export interface LogoutDeps {
  readonly db: Kysely<Database>;
  readonly relay: Pick<OutboxRelay, 'wake'>;
  /** `iss` of the tokens, and so of the event: verifiers apply it to this issuer's tokens only. */
  readonly issuer: string;
  readonly now: () => number;
}

/** Ends session `sid` of account `sub`; false if it was not live. */
export async function endSession(deps: LogoutDeps, sub: string, sid: string): Promise<boolean> {
  const { db, relay, issuer, now } = deps;
  const ended = await db.transaction().execute(async (trx) => {
    const at = now();
    const session = await trx
      .updateTable('sessions')
      .set({ revoked_at: new Date(at) })
      .where('id', '=', sid)
      .where('account_id', '=', sub)
      .where('revoked_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (session === undefined) return false;
    // Same transaction, same clock: the event commits with the row or not at all.
    await enqueue(
      trx,
      { kind: 'session', sid, reason: 'logout', actor: sub, iss: issuer },
      { now: () => at },
    );
    return true;
  });
  if (ended) relay.wake(); // publish now rather than at the relay's next poll
  return ended;
}
