/**
 * End to end with a real Keycloak 26.7 as the team's identity provider: its access tokens are
 * accepted by the game-service over HTTP and socket.io, and what ends them in Keycloak — a user
 * logout, an admin session delete, a password reset, an admin "log out user", a disabled account —
 * reaches the game through the revocation gateway (OIDC Back-Channel Logout and SSF push) and
 * the real Kafka topic: HTTP answers 401 and the live socket is cut. Forged, replayed,
 * wrong-audience, expired and malformed signals are refused and publish nothing.
 *
 * Nothing here imitates Keycloak: every token and SET is Keycloak's, passed through a recorder
 * (test/support/signal-recorder.ts) so the tests can replay and tamper with real ones. No
 * latency is asserted (bench/ measures it); outcomes are awaited with generous timeouts.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameService } from '@revocation-fabric/game-service';
import {
  configureSsfReceiver,
  createClient,
  deleteSession,
  emitSsfEvent,
  logoutSession,
  logoutUser,
  passwordLogin,
  resetPassword,
  setUserEnabled,
} from '@revocation-fabric/keycloak-local';
import type { RealmClient, UserTokens } from '@revocation-fabric/keycloak-local';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { Gateway } from '@revocation-fabric/revocation-gateway';
import { keycloakRealm, waitFor } from '@revocation-fabric/testkit';
import type { TestRealm, TestUser, TopicTap } from '@revocation-fabric/testkit';
import { SignJWT, decodeJwt, decodeProtectedHeader, importPKCS8 } from 'jose';
import type { Socket } from 'socket.io-client';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  inject,
  it,
  onTestFinished as onCleanup,
} from 'vitest';
import { CUT_TIMEOUT_MS, connectGame, cutOf, me as meAt, served } from './support/game-client.js';
import { gameTrusting, realmGateway, urlOf, watchedTopic } from './support/keycloak-stack.js';
import { startSignalRecorder } from './support/signal-recorder.js';
import type { RecordedSignal, SignalRecorder } from './support/signal-recorder.js';

const brokers = inject('kafkaBrokers');
const keycloak = inject('keycloak');
const PROVIDER = 'keycloak';
const SIGNAL_TIMEOUT_MS = CUT_TIMEOUT_MS;

let realm: TestRealm;
let otherApp: RealmClient;
let receiver: RealmClient;
let recorder: SignalRecorder;
let gateway: Gateway;
let game: GameService;
let tap: TopicTap<RevocationEvent>;
let dataDir: string;
/** The gateway's clock runs this far ahead of the real one (the expired-token test moves it). */
let gatewayClockOffsetMs = 0;
const clients: Socket[] = [];

beforeAll(async () => {
  const watched = await watchedTopic(brokers, 'keycloak-e2e');
  tap = watched.tap;
  recorder = await startSignalRecorder();
  realm = await keycloakRealm(keycloak, {
    prefix: 'e2e',
    backchannelLogoutUrl: `${recorder.url}/bcl`,
    accessTokenLifespanSeconds: 300,
  });
  // A second relying party of the same realm: its logout tokens name it, not our client.
  otherApp = await createClient(realm.admin, realm.name, {
    clientId: 'other-app',
    backchannelLogoutUrl: `${recorder.url}/bcl-other`,
  });
  receiver = await configureSsfReceiver(realm.admin, realm.name, {
    clientId: 'revocation-gateway',
    delivery: ['push'],
    pushUrls: [`${recorder.url}/*`],
  });

  dataDir = mkdtempSync(join(tmpdir(), 'keycloak-e2e-'));
  gateway = realmGateway({
    brokers,
    topic: watched.topic,
    sqlitePath: join(dataDir, 'gateway.sqlite'),
    now: () => Date.now() + gatewayClockOffsetMs,
    provider: {
      name: PROVIDER,
      issuer: realm.issuer,
      backchannelLogout: { clientId: realm.client.clientId },
      ssf: {
        delivery: 'push',
        pushUrl: `${recorder.url}/ssf`,
        clientId: receiver.clientId,
        clientSecret: receiver.secret,
      },
    },
  });
  // The recorder answers 503 until the gateway listens; Keycloak retries what it pushed early.
  const gatewayUrl = await gateway.start();
  recorder.route('bcl', `${gatewayUrl}/backchannel-logout/${PROVIDER}`);
  recorder.route('bcl-other', `${gatewayUrl}/backchannel-logout/${PROVIDER}`);
  recorder.route('ssf', `${gatewayUrl}/ssf/${PROVIDER}/events`);
  await waitFor(
    async () => {
      const ready = await (await fetch(`${gatewayUrl}/readyz`)).json();
      return (
        JSON.stringify(ready).includes('"verified"') ||
        JSON.stringify(ready).includes('"registered"')
      );
    },
    { timeoutMs: SIGNAL_TIMEOUT_MS, description: 'the gateway’s SSF stream' },
  );

  game = await gameTrusting(realm, brokers, watched.topic, 'keycloak-e2e-game');
});

afterEach(() => {
  gatewayClockOffsetMs = 0;
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await game?.stop();
  await gateway?.stop();
  await recorder?.close();
  await tap?.stop();
  await realm?.remove();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

function me(token: string): Promise<{ status: number; body: unknown }> {
  return meAt(urlOf(game), token);
}

function connect(token: string): Promise<Socket> {
  return connectGame(urlOf(game), token, clients);
}

/** A user logged in, with an open socket and a working HTTP call. */
async function player(): Promise<{ user: TestUser; tokens: UserTokens; socket: Socket }> {
  const user = await realm.addUser();
  const tokens = await realm.login(user);
  expect((await me(tokens.accessToken)).status).toBe(200);
  const socket = await connect(tokens.accessToken);
  return { user, tokens, socket };
}

/** Waits until the gateway's rule for `matches` is on the topic. */
function ruleOnTopic(matches: (event: RevocationEvent) => boolean): Promise<RevocationEvent> {
  return waitFor(() => tap.events.find(matches), {
    timeoutMs: SIGNAL_TIMEOUT_MS,
    description: 'the rule on the topic',
  });
}

/** The route's recorded signals, newest last. */
function recorded(route: string): RecordedSignal[] {
  return recorder.signals.filter((signal) => signal.route === route);
}

function formBody(logoutToken: string): string {
  return new URLSearchParams({ logout_token: logoutToken }).toString();
}

function postLogoutToken(body: string, contentType = 'application/x-www-form-urlencoded') {
  return fetch(`${gateway.url}/backchannel-logout/${PROVIDER}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

function logoutTokenOf(signal: RecordedSignal): string {
  const token = new URLSearchParams(signal.body).get('logout_token');
  if (token === null) throw new Error('no logout_token in the recorded body');
  return token;
}

describe('a Keycloak login', () => {
  it('is accepted by the game-service over HTTP and socket.io, roles mapped', async () => {
    const user = await realm.addUser();
    const tokens = await realm.login(user);
    const answer = await me(tokens.accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ sub: user.id, sid: tokens.sessionId });
    expect((answer.body as { roles: string[] }).roles).toContain('offline_access');
    const socket = await connect(tokens.accessToken);
    expect(await served(socket)).toBe(true);
  });
});

describe('ending a Keycloak session reaches the game through back-channel logout', () => {
  it('a user logout: HTTP answers 401 and the live socket is cut', async () => {
    const { tokens, socket } = await player();
    const cut = cutOf(socket);
    // Keycloak announces a user logout by SSF as well: hold those back, so the cut can only
    // come from the back-channel logout.
    recorder.hold('ssf', Number.POSITIVE_INFINITY);
    onCleanup(() => recorder.hold('ssf', 0));
    await logoutSession(realm.url, realm.name, realm.client, tokens.refreshToken);
    expect(await cut).toMatchObject({
      revoked: { code: 'TOKEN_REVOKED', kind: 'session', reason: 'logout' },
      reason: 'io server disconnect',
    });
    const after = await me(tokens.accessToken);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'TOKEN_REVOKED' } });
    // The rule names the provider's issuer and the session, and came from the logout token.
    const event = await ruleOnTopic((e) => e.kind === 'session' && e.sid === tokens.sessionId);
    expect(event).toMatchObject({ iss: realm.issuer, reason: 'logout' });
    expect(recorded('bcl').some((s) => s.status === 200)).toBe(true);
  });

  it('an admin session delete: the same, with the user’s other session untouched', async () => {
    const { user, tokens, socket } = await player();
    const other = await realm.login(user);
    const otherSocket = await connect(other.accessToken);
    const cut = cutOf(socket);
    await deleteSession(realm.admin, realm.name, tokens.sessionId);
    expect((await cut).revoked).toMatchObject({ code: 'TOKEN_REVOKED', kind: 'session' });
    expect((await me(tokens.accessToken)).status).toBe(401);
    expect((await me(other.accessToken)).status).toBe(200);
    expect(await served(otherSocket)).toBe(true);
  });

  it('an admin "log out user": every session of the user is cut', async () => {
    const { user, tokens, socket } = await player();
    const second = await realm.login(user);
    const secondSocket = await connect(second.accessToken);
    const cuts = [cutOf(socket), cutOf(secondSocket)];
    await logoutUser(realm.admin, realm.name, user.id);
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toMatchObject({ code: 'TOKEN_REVOKED' });
    }
    expect((await me(tokens.accessToken)).status).toBe(401);
    expect((await me(second.accessToken)).status).toBe(401);
  });
});

describe('Keycloak’s Shared Signals reach the game by push', () => {
  it('a password reset: a subject cutoff ends every earlier token', async () => {
    const { user, tokens, socket } = await player();
    const cut = cutOf(socket);
    await resetPassword(realm.admin, realm.name, user.id, `reset-${randomUUID()}`);
    expect(await cut).toMatchObject({
      revoked: { code: 'TOKEN_REVOKED', kind: 'subject', reason: 'password-change' },
    });
    expect((await me(tokens.accessToken)).status).toBe(401);
    const event = await ruleOnTopic((e) => e.kind === 'subject' && e.sub === user.id);
    expect(event).toMatchObject({ iss: realm.issuer, reason: 'password-change' });
    expect(recorded('ssf').some((s) => s.status === 202)).toBe(true);
  });

  it('a disabled account, announced with an emitted session-revoked: cut, and no new login', async () => {
    const { user, tokens, socket } = await player();
    const cut = cutOf(socket);
    // Keycloak 26.7 sends nothing when an account is disabled: the operator emits the signal.
    await setUserEnabled(realm.admin, realm.name, user.id, false);
    await emitSsfEvent(realm.admin, realm.name, {
      receiverClientId: receiver.clientId,
      eventType: 'CaepSessionRevoked',
      userId: user.id,
      event: { initiating_entity: 'admin' },
    });
    expect((await cut).revoked).toMatchObject({ code: 'TOKEN_REVOKED', kind: 'subject' });
    expect((await me(tokens.accessToken)).status).toBe(401);
    await expect(realm.login(user)).rejects.toThrow();
  });
});

describe('signals that must not count are refused and publish nothing', () => {
  /** Signals the gateway counted with an outcome, summed over sources and reasons. */
  async function signalsCounted(outcome: 'accepted' | 'refused' | 'duplicate'): Promise<number> {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (
        line.startsWith('revocation_gateway_signals_total{') &&
        line.includes(`outcome="${outcome}"`)
      ) {
        total += Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  async function forge(token: string, claims: Record<string, unknown>): Promise<string> {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forger = await importPKCS8(
      privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'RS256',
    );
    return new SignJWT({ ...decodeJwt(token), ...claims })
      .setProtectedHeader(decodeProtectedHeader(token) as { alg: string })
      .sign(forger);
  }

  it('refuses replayed, forged, wrong-audience, expired and malformed logout tokens', async () => {
    // A real logout token, held back from the gateway for the expired case.
    const held = await player();
    recorder.hold('bcl', 1);
    await logoutSession(realm.url, realm.name, realm.client, held.tokens.refreshToken);
    const heldToken = logoutTokenOf(
      await waitFor(() => recorded('bcl').find((s) => s.status === 0)),
    );
    // Wrong audience: a real token for the realm's other relying party, refused on arrival.
    const stranger = await realm.addUser();
    const strangerTokens = await passwordLogin(realm.url, realm.name, otherApp, stranger);
    await logoutSession(realm.url, realm.name, otherApp, strangerTokens.refreshToken);
    const wrongAudience = await waitFor(() => recorded('bcl-other')[0]);
    expect(decodeJwt(logoutTokenOf(wrongAudience)).aud).toBe('other-app');
    expect(wrongAudience.status).toBe(400);
    // Both logouts also reach the gateway as SSF session-revoked: let them land first, so what
    // follows happens on a quiet gateway.
    await ruleOnTopic((e) => e.kind === 'session' && e.sid === held.tokens.sessionId);
    await ruleOnTopic((e) => e.kind === 'session' && e.sid === strangerTokens.sessionId);
    await tap.drain();
    const accepted = await signalsCounted('accepted');
    const refused = await signalsCounted('refused');
    const published = tap.events.length;

    // Replayed: a token the gateway already accepted.
    const first = recorded('bcl').find((s) => s.status === 200);
    if (first === undefined) throw new Error('no accepted logout token recorded yet');
    const replay = await postLogoutToken(first.body);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('cache-control')).toBe('no-store');
    expect(await replay.json()).toMatchObject({ error: 'invalid_request' });
    // Forged: Keycloak's header and claims, for a session of its own, with a key not Keycloak's.
    const forgedSid = `forged-${randomUUID()}`;
    const forged = await forge(heldToken, { jti: randomUUID(), sid: forgedSid });
    expect((await postLogoutToken(formBody(forged))).status).toBe(400);
    // Expired: the held token, judged ten minutes later.
    gatewayClockOffsetMs = 10 * 60_000;
    expect((await postLogoutToken(formBody(heldToken))).status).toBe(400);
    gatewayClockOffsetMs = 0;
    // Malformed, and the wrong media type.
    expect((await postLogoutToken(formBody('not.a.jwt'))).status).toBe(400);
    expect((await postLogoutToken('logout_token=')).status).toBe(400);
    expect((await postLogoutToken(formBody(heldToken), 'application/json')).status).toBe(400);

    // None of them was committed: nothing counted as accepted, nothing reached the topic.
    expect(await signalsCounted('accepted')).toBe(accepted);
    expect(await signalsCounted('refused')).toBeGreaterThanOrEqual(refused + 5);
    await tap.drain();
    expect(tap.events.length).toBe(published);
    // The round trip: the held token, still fresh, is accepted and published.
    expect((await postLogoutToken(formBody(heldToken))).status).toBe(200);
    expect(await signalsCounted('accepted')).toBe(accepted + 1);
    await waitFor(() => tap.events.length > published, { timeoutMs: SIGNAL_TIMEOUT_MS });
    expect(tap.events.slice(published)).toEqual([
      expect.objectContaining({ kind: 'session', sid: held.tokens.sessionId }),
    ]);
    expect(tap.events.some((e) => e.kind === 'session' && e.sid === forgedSid)).toBe(false);
  });

  it('answers a replayed SET as a duplicate, and refuses a forged one or a wrong authorization', async () => {
    const pushed = recorded('ssf').find((s) => s.status === 202 && s.body.split('.').length === 3);
    if (pushed === undefined) throw new Error('no accepted SET recorded yet');
    await tap.drain();
    const accepted = await signalsCounted('accepted');
    const published = tap.events.length;
    const push = (body: string, authorization = pushed.headers.authorization ?? '') =>
      fetch(`${gateway.url}/ssf/${PROVIDER}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/secevent+jwt', authorization },
        body,
      });
    // Redelivered: acknowledged again (the transmitter may have lost our answer), no new rule.
    expect((await push(pushed.body)).status).toBe(202);
    const wrongAuth = await push(pushed.body, 'Bearer not-the-secret');
    expect(wrongAuth.status).toBe(401);
    expect(await wrongAuth.json()).toMatchObject({ err: 'authentication_failed' });
    const refused = await push(await forge(pushed.body, { jti: randomUUID() }));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ err: expect.any(String) });
    expect((await push('garbage')).status).toBe(400);
    expect(await signalsCounted('accepted')).toBe(accepted);
    await tap.drain();
    expect(tap.events.length).toBe(published);
  });
});
