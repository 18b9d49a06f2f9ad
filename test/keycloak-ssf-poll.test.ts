/**
 * Keycloak's Shared Signals by poll (RFC 8936): the gateway fetches SETs from Keycloak's poll
 * endpoint and acknowledges only what it committed, so a gateway stopped mid-stream loses
 * nothing — what Keycloak queued meanwhile is fetched by the next gateway on the same database.
 * The real Keycloak, the real broker, a game-service that trusts the realm.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameService } from '@revocation-fabric/game-service';
import { configureSsfReceiver, resetPassword } from '@revocation-fabric/keycloak-local';
import type { RealmClient, UserTokens } from '@revocation-fabric/keycloak-local';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { Gateway } from '@revocation-fabric/revocation-gateway';
import { keycloakRealm, waitFor } from '@revocation-fabric/testkit';
import type { TestRealm, TestUser, TopicTap } from '@revocation-fabric/testkit';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CUT_TIMEOUT_MS, connectGame, cutOf, me } from './support/game-client.js';
import { gameTrusting, realmGateway, urlOf, watchedTopic } from './support/keycloak-stack.js';

const brokers = inject('kafkaBrokers');
const keycloak = inject('keycloak');
const PROVIDER = 'keycloak';

let realm: TestRealm;
let receiver: RealmClient;
let topic: string;
let dataDir: string;
let gateway: Gateway | undefined;
let game: GameService;
let tap: TopicTap<RevocationEvent>;
const clients: Socket[] = [];

/** A gateway polling the realm's stream, on the one database of this file. */
async function startGateway(): Promise<Gateway> {
  const started = realmGateway({
    brokers,
    topic,
    sqlitePath: join(dataDir, 'gateway.sqlite'),
    provider: {
      name: PROVIDER,
      issuer: realm.issuer,
      ssf: {
        delivery: 'poll',
        pollIntervalMs: 200,
        clientId: receiver.clientId,
        clientSecret: receiver.secret,
      },
    },
  });
  await started.start();
  return started;
}

beforeAll(async () => {
  const watched = await watchedTopic(brokers, 'keycloak-poll');
  topic = watched.topic;
  tap = watched.tap;
  realm = await keycloakRealm(keycloak, { prefix: 'poll', accessTokenLifespanSeconds: 300 });
  receiver = await configureSsfReceiver(realm.admin, realm.name, {
    clientId: 'revocation-gateway',
    delivery: ['poll'],
  });
  dataDir = mkdtempSync(join(tmpdir(), 'keycloak-poll-'));
  gateway = await startGateway();
  game = await gameTrusting(realm, brokers, topic, 'keycloak-poll-game');
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await game?.stop();
  await gateway?.stop();
  await tap?.stop();
  await realm?.remove();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

async function status(token: string): Promise<number> {
  return (await me(urlOf(game), token)).status;
}

/** The `revoked` payload once the server cuts the socket. */
async function revokedOf(socket: Socket): Promise<unknown> {
  return (await cutOf(socket)).revoked;
}

async function player(): Promise<{ user: TestUser; tokens: UserTokens; socket: Socket }> {
  const user = await realm.addUser();
  const tokens = await realm.login(user);
  expect(await status(tokens.accessToken)).toBe(200);
  return { user, tokens, socket: await connectGame(urlOf(game), tokens.accessToken, clients) };
}

function subjectRules(sub: string): RevocationEvent[] {
  return tap.events.filter((e) => e.kind === 'subject' && e.sub === sub);
}

describe('Keycloak’s Shared Signals by poll', () => {
  it('a password reset is fetched, committed, published: 401 and the socket cut', async () => {
    const { user, tokens, socket } = await player();
    const revoked = revokedOf(socket);
    await resetPassword(realm.admin, realm.name, user.id, `reset-${randomUUID()}`);
    expect(await revoked).toMatchObject({
      code: 'TOKEN_REVOKED',
      kind: 'subject',
      reason: 'password-change',
    });
    expect(await status(tokens.accessToken)).toBe(401);
    expect(subjectRules(user.id)[0]).toMatchObject({ iss: realm.issuer });
  });

  it('a gateway stopped mid-stream loses nothing: the next one fetches what Keycloak queued', async () => {
    const a = await player();
    const b = await player();
    const cuts = [revokedOf(a.socket), revokedOf(b.socket)];
    await gateway?.stop();
    gateway = undefined;
    // While no gateway polls, Keycloak keeps the SETs.
    await resetPassword(realm.admin, realm.name, a.user.id, `reset-${randomUUID()}`);
    await resetPassword(realm.admin, realm.name, b.user.id, `reset-${randomUUID()}`);
    expect(await status(a.tokens.accessToken)).toBe(200);

    gateway = await startGateway();
    for (const revoked of await Promise.all(cuts)) {
      expect(revoked).toMatchObject({ code: 'TOKEN_REVOKED', kind: 'subject' });
    }
    expect(await status(a.tokens.accessToken)).toBe(401);
    expect(await status(b.tokens.accessToken)).toBe(401);
    // Acknowledged once committed: each reset is published once, not again by a later poll.
    await waitFor(() => subjectRules(b.user.id).length > 0, { timeoutMs: CUT_TIMEOUT_MS });
    const c = await player();
    const revoked = revokedOf(c.socket);
    await resetPassword(realm.admin, realm.name, c.user.id, `reset-${randomUUID()}`);
    await revoked;
    await tap.drain();
    expect(subjectRules(a.user.id)).toHaveLength(1);
    expect(subjectRules(b.user.id)).toHaveLength(1);
  });
});
