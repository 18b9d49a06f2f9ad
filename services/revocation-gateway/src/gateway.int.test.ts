/**
 * The gateway end to end on the real broker and real databases (SQLite file, PostgreSQL): an
 * accepted signal reaches the topic; a refused one publishes nothing (proved by a round trip);
 * with Kafka away a logout is still answered 200 and delivered once Kafka is back, by a
 * restarted gateway on the same database, which still refuses the replayed jti.
 * The identity provider here is the test's own key pair and JWKS server (its input).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startTopicTap, uniqueTopic } from '@revocation-fabric/testkit';
import type { TopicTap } from '@revocation-fabric/testkit';
import type { Gateway } from './gateway.js';
import {
  createTestDatabase,
  kafkaGatewayEnvironment,
  outboxEvents,
  postLogoutToken,
  startTestGateway,
} from './test-support/harness.js';
import type { TestDatabase } from './test-support/harness.js';
import {
  logoutProvider,
  serveKeys,
  setClaims,
  sign,
  signLogoutToken,
  testKey,
} from './test-support/signals.js';
import { EVENT_TYPES } from './signals/mapping.js';
import type { KeyServer, TestKey } from './test-support/signals.js';

const ISSUER = 'https://idp.test/realms/int';

function brokers(): string {
  const value = process.env['KAFKA_BROKERS'];
  if (value === undefined || value === '')
    throw new Error('KAFKA_BROKERS is not set: run through the integration project');
  return value;
}

const tapOf = (topic: string): Promise<TopicTap<RevocationEvent>> =>
  startTopicTap(brokers().split(','), topic, {
    clientId: 'gateway-test-tap',
    decode: decodeEvent,
    idOf: (e) => e.id,
  });

describe.each(['sqlite', 'postgres'] as const)('the gateway on %s with the real broker', (kind) => {
  let key: TestKey;
  let keys: KeyServer;
  let database: TestDatabase;
  const topic = uniqueTopic(`gateway-${kind}`);
  const providers = () => [
    logoutProvider('idp', ISSUER, keys.jwksUrl, {
      ssf: {
        configurationUrl: `${keys.url}/ssf-configuration`,
        audience: 'gateway/stream-int',
        delivery: 'push',
        pushUrl: 'http://127.0.0.1:9/ssf/idp/events',
        tokenUrl: `${keys.url}/token`,
        clientId: 'gateway',
        clientSecret: 'secret',
      },
    }),
  ];
  const env = (kafka: string) => kafkaGatewayEnvironment(database, kafka, topic);
  const logoutToken = (sid: string, overrides: Record<string, unknown> = {}) =>
    signLogoutToken(key, ISSUER, { sid, ...overrides });
  const eventOf = async (gateway: Gateway, sid: string): Promise<RevocationEvent> => {
    const event = (await outboxEvents(gateway.store)).find(
      (e) => e.kind === 'session' && e.sid === sid,
    );
    if (event === undefined) throw new Error(`no event for ${sid} in the outbox`);
    return event;
  };

  beforeAll(async () => {
    key = await testKey('RS256');
    // The test's own keys and the discovery document pointing at them.
    keys = await serveKeys([key], {
      '/ssf-configuration': (base) => ({ issuer: ISSUER, jwks_uri: `${base}/jwks` }),
    });
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await keys.close();
    await database.drop();
  });

  it('answers 200 while Kafka is away, and a restarted gateway delivers it, refuses its replay and loses nothing', async () => {
    // Nothing listens on port 1: the relay cannot publish, the answer must not wait for it.
    const offline = await startTestGateway(providers(), env('127.0.0.1:1'));
    const token = await logoutToken('sid-offline');
    let offlineEvent: RevocationEvent;
    try {
      const answer = await postLogoutToken(offline.url ?? '', 'idp', token);
      expect(answer.status).toBe(200);
      offlineEvent = await eventOf(offline, 'sid-offline');
    } finally {
      await offline.stop();
    }

    const online = await startTestGateway(providers(), env(brokers()));
    const tap = await tapOf(topic);
    try {
      const [delivered] = await tap.waitForIds([offlineEvent.id], 30_000);
      expect(delivered).toMatchObject({
        kind: 'session',
        sid: 'sid-offline',
        iss: ISSUER,
        actor: 'gateway:idp',
      });

      const replay = await postLogoutToken(online.url ?? '', 'idp', token);
      expect(replay.status).toBe(400);
      expect(await replay.json()).toMatchObject({ error: 'invalid_request' });

      // An accepted signal reaches the topic; a refused one before it publishes nothing.
      const refused = await postLogoutToken(
        online.url ?? '',
        'idp',
        await logoutToken('sid-refused', { aud: 'x' }),
      );
      expect(refused.status).toBe(400);
      const accepted = await postLogoutToken(
        online.url ?? '',
        'idp',
        await logoutToken('sid-online'),
      );
      expect(accepted.status).toBe(200);
      const onlineEvent = await eventOf(online, 'sid-online');
      await tap.waitForIds([onlineEvent.id], 30_000);
      await tap.drain();
      const sids = tap.events.map((e) => (e.kind === 'session' ? e.sid : e.kind));
      expect(new Set(sids)).toEqual(new Set(['sid-offline', 'sid-online']));
      expect(await outboxEvents(online.store)).toHaveLength(2);
    } finally {
      await tap.stop();
      await online.stop();
    }
  });

  it('publishes a pushed CAEP credential change as a subject cutoff for the provider’s issuer', async () => {
    const gateway = await startTestGateway(providers(), env(brokers()));
    const tap = await tapOf(topic);
    try {
      const authorization = (await gateway.providers.get('idp')?.ssf?.pushAuthorization()) ?? '';
      const at = Math.floor(Date.now() / 1000) - 5;
      const set = await sign(
        key,
        setClaims(ISSUER, 'gateway/stream-int', Date.now(), {
          type: EVENT_TYPES.credentialChange,
          subject: { format: 'iss_sub', iss: ISSUER, sub: 'user-int' },
          body: { event_timestamp: at },
        }),
        { typ: 'secevent+jwt' },
      );
      const answer = await fetch(`${gateway.url ?? ''}/ssf/idp/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/secevent+jwt', authorization },
        body: set,
      });
      expect(answer.status).toBe(202);
      const committed = (await outboxEvents(gateway.store)).find(
        (e) => e.kind === 'subject' && e.sub === 'user-int',
      );
      if (committed === undefined) throw new Error('no subject event committed');
      const [delivered] = await tap.waitForIds([committed.id], 30_000);
      expect(delivered).toMatchObject({
        kind: 'subject',
        sub: 'user-int',
        cutoff: (at + 1) * 1000,
        reason: 'password-change',
        iss: ISSUER,
      });
    } finally {
      await tap.stop();
      await gateway.stop();
    }
  });
});
