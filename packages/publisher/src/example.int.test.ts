/**
 * The README's example (examples/express-auth) against the real broker: a session revoked over
 * HTTP arrives on the topic as a session event, published by the relay after the commit.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, startEventTap, uniqueTopic } from '@revocation-fabric/testkit';
import { ruleKey } from '@revocation-fabric/protocol';
import { createAuthApp } from '../examples/express-auth/app.js';
import { openAuthDatabase } from '../examples/express-auth/schema.js';
import type { AuthSchema } from '../examples/express-auth/schema.js';
import { kafkaPublisher } from './kafka/kafka-publisher.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import type { Kysely } from 'kysely';

describe('the express auth example', () => {
  const dir = mkdtempSync(join(tmpdir(), 'publisher-example-'));
  const topic = uniqueTopic('pub-example');
  let db: Kysely<AuthSchema>;
  let relay: OutboxRelay<AuthSchema>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    db = await openAuthDatabase(join(dir, 'auth.sqlite'));
    relay = new OutboxRelay({
      db,
      dialect: 'sqlite',
      publisher: kafkaPublisher({
        brokers: kafkaBrokers(),
        topic,
        createTopic: { maxTokenLifetimeMs: 900_000 },
      }),
    });
    await relay.prepare(3000);
    relay.start();
    server = createAuthApp({ db, relay, issuer: 'http://example-auth.test' }).listen(
      0,
      '127.0.0.1',
    );
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await relay.stop();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('revokes a session in its transaction and the event arrives on the topic', async () => {
    const opened = await fetch(`${url}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'alice' }),
    });
    expect(opened.status).toBe(201);
    const { sessionId } = (await opened.json()) as { sessionId: string };

    const revoked = await fetch(`${url}/sessions/${sessionId}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    // Revoking it again finds no live session: the first revocation committed.
    expect((await fetch(`${url}/sessions/${sessionId}`, { method: 'DELETE' })).status).toBe(404);

    const row = await db
      .selectFrom('outbox')
      .select('event_id')
      .where(
        'message_key',
        '=',
        ruleKey({ kind: 'session', issuer: 'http://example-auth.test', target: sessionId }),
      )
      .executeTakeFirstOrThrow();
    const tap = await startEventTap(kafkaBrokers(), topic);
    try {
      const [event] = await tap.waitForIds([row.event_id], 30_000);
      expect(event).toMatchObject({
        kind: 'session',
        sid: sessionId,
        reason: 'logout',
        actor: 'alice',
        iss: 'http://example-auth.test',
      });
      const session = await db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('id', '=', sessionId)
        .executeTakeFirstOrThrow();
      expect(Number(session.revoked_at)).toBe(event?.issuedAt);
    } finally {
      await tap.stop();
    }
  });
});
