/**
 * A tiny auth service that revokes sessions the durable way: the session row and its revocation
 * event commit in one transaction (`enqueue`), and the relay publishes the event afterwards —
 * the HTTP answer never waits for Kafka.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { Express } from 'express';
import type { Kysely } from 'kysely';
import { enqueue } from '@revocation-fabric/publisher';
import type { OutboxRelay } from '@revocation-fabric/publisher';
import type { AuthSchema } from './schema.js';

/** What the app needs. */
export interface AuthAppOptions {
  readonly db: Kysely<AuthSchema>;
  /** Woken after each commit that enqueued an event. */
  readonly relay: Pick<OutboxRelay, 'wake'>;
  /** `iss` of this service's tokens, and so of its revocation events. */
  readonly issuer: string;
  /** One clock for the rows and the events. Default `() => Date.now()`. */
  readonly now?: (() => number) | undefined;
}

/** `POST /sessions {userId}` opens a session; `DELETE /sessions/:id` revokes it. */
export function createAuthApp(options: AuthAppOptions): Express {
  const { db, relay, issuer } = options;
  const now = options.now ?? (() => Date.now());
  const app = express();
  app.use(express.json());

  app.post('/sessions', async (req, res) => {
    const userId: unknown = (req.body as { userId?: unknown } | undefined)?.userId;
    if (typeof userId !== 'string' || userId === '') {
      res.status(400).json({ error: { code: 'INVALID_REQUEST', message: 'userId is required' } });
      return;
    }
    const id = randomUUID();
    await db
      .insertInto('sessions')
      .values({ id, user_id: userId, created_at: now(), revoked_at: null })
      .execute();
    res.status(201).json({ sessionId: id });
  });

  app.delete('/sessions/:id', async (req, res) => {
    const sid = req.params.id;
    const event = await db.transaction().execute(async (trx) => {
      const at = now();
      const revoked = await trx
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('id', '=', sid)
        .where('revoked_at', 'is', null)
        .returning('user_id')
        .executeTakeFirst();
      if (revoked === undefined) return undefined;
      // Same transaction, same clock: the event commits with the row or not at all.
      return enqueue(
        trx,
        { kind: 'session', sid, reason: 'logout', actor: revoked.user_id, iss: issuer },
        { now: () => at },
      );
    });
    if (event === undefined) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such live session' } });
      return;
    }
    relay.wake();
    res.status(204).end();
  });

  return app;
}
