import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  AdminRequestError,
  KEYCLOAK_VERSION,
  clientCredentialsToken,
  configureSsfReceiver,
  connectAdmin,
  createClient,
  createRealm,
  createUser,
  deleteRealm,
  deleteSession,
  emitSsfEvent,
  logoutSession,
  logoutUser,
  passwordLogin,
  resetPassword,
  setUserEnabled,
  userSessions,
  type KeycloakAdmin,
  type RealmClient,
} from './index.js';

// Against the run's real Keycloak (test/setup/keycloak.ts), in a realm of this file's own.
const keycloak = inject('keycloak');
const realm = `kclocal-${Date.now().toString(36)}`;
const issuer = `${keycloak.url}/realms/${realm}`;
const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));

/** What Keycloak POSTs to this file's listener (back-channel logout and SSF push), collected. */
const posts: {
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}[] = [];
let listenerUrl: string;
let receiver: Server;
let admin: KeycloakAdmin;
let app: RealmClient;

beforeAll(async () => {
  receiver = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        authorization: request.headers['authorization'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      response.statusCode = request.url === '/ssf/push' ? 202 : 200;
      response.end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  listenerUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  admin = await connectAdmin(keycloak);
  await createRealm(admin, { realm });
  app = await createClient(admin, realm, {
    clientId: 'app',
    backchannelLogoutUrl: `${listenerUrl}/backchannel-logout`,
  });
});

afterAll(async () => {
  await deleteRealm(admin, realm);
  receiver.close();
});

let users = 0;
async function newUser(): Promise<{ id: string; username: string; password: string }> {
  users += 1;
  const password = `pw-${users}-${Date.now()}`;
  const user = await createUser(admin, realm, { username: `user-${users}`, password });
  return { ...user, password };
}

/** The logout tokens received so far for session `sid`, decoded (their signature checked). */
async function logoutTokensFor(sid: string) {
  const payloads = [];
  for (const post of posts.filter((entry) => entry.path === '/backchannel-logout')) {
    const token = new URLSearchParams(post.body).get('logout_token');
    if (token === null) continue;
    const { payload } = await jwtVerify(token, jwks, { issuer, audience: 'app' });
    if (payload['sid'] === sid) payloads.push({ token, payload, contentType: post.contentType });
  }
  return payloads;
}

const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

/** The session id in a SET's complex subject, if any. */
function subjectSession(payload: JWTPayload): unknown {
  const subject = payload['sub_id'] as { session?: { id?: unknown } } | undefined;
  return subject?.session?.id;
}

/**
 * The first SET pushed to this file's listener whose (signature-checked) payload matches.
 * Keycloak pushes from an outbox on a drainer tick (1 s here), so this waits for it.
 */
async function pushedSet(matches: (payload: JWTPayload) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const post of posts.filter((entry) => entry.path === '/ssf/push')) {
      const { payload, protectedHeader } = await jwtVerify(post.body, jwks, {
        issuer,
        typ: 'secevent+jwt',
      });
      if (matches(payload)) return { ...post, payload, header: protectedHeader };
    }
    if (Date.now() > deadline) throw new Error('no matching SET was pushed within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a local Keycloak', () => {
  it('runs the pinned version', () => {
    expect(keycloak.version).toBe(KEYCLOAK_VERSION);
  });

  it('issues RS256 access tokens with the session id, the user and the client audience', async () => {
    const user = await newUser();
    const tokens = await passwordLogin(keycloak.url, realm, app, user);
    expect(decodeProtectedHeader(tokens.accessToken).alg).toBe('RS256');
    const { payload } = await jwtVerify(tokens.accessToken, jwks, { issuer, audience: 'app' });
    expect(payload.sub).toBe(user.id);
    expect(payload['sid']).toBe(tokens.sessionId);
    expect(payload['azp']).toBe('app');
    expect(await userSessions(admin, realm, user.id)).toEqual([tokens.sessionId]);
  });

  it('refuses a wrong password with a typed error carrying invalid_grant', async () => {
    const user = await newUser();
    const attempt = passwordLogin(keycloak.url, realm, app, { ...user, password: 'wrong' });
    await expect(attempt).rejects.toBeInstanceOf(AdminRequestError);
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      body: expect.stringContaining('Invalid user credentials'),
    });
  });

  it('answers a second realm of the same name with a typed 409', async () => {
    await expect(createRealm(admin, { realm })).rejects.toMatchObject({
      code: 'ADMIN_REQUEST_FAILED',
      status: 409,
    });
  });
});

describe('ending sessions', () => {
  it('a user logout ends the session and sends a signed logout token for it, before answering', async () => {
    const user = await newUser();
    const tokens = await passwordLogin(keycloak.url, realm, app, user);
    await logoutSession(keycloak.url, realm, app, tokens.refreshToken);
    expect(await userSessions(admin, realm, user.id)).toEqual([]);
    const [received, ...more] = await logoutTokensFor(tokens.sessionId);
    expect(more).toEqual([]);
    expect(received?.contentType).toBe('application/x-www-form-urlencoded');
    expect(decodeProtectedHeader(received?.token ?? '').typ).toBe('logout+jwt');
    expect(received?.payload.sub).toBe(user.id);
    expect(received?.payload['events']).toEqual({
      'http://schemas.openid.net/event/backchannel-logout': {},
    });
  });

  it('an admin session delete ends that session only and sends its logout token', async () => {
    const user = await newUser();
    const first = await passwordLogin(keycloak.url, realm, app, user);
    const second = await passwordLogin(keycloak.url, realm, app, user);
    await deleteSession(admin, realm, first.sessionId);
    expect(await userSessions(admin, realm, user.id)).toEqual([second.sessionId]);
    expect(await logoutTokensFor(first.sessionId)).toHaveLength(1);
    expect(await logoutTokensFor(second.sessionId)).toHaveLength(0);
  });

  it('an admin user logout ends every session, one logout token each', async () => {
    const user = await newUser();
    const sessions = [
      await passwordLogin(keycloak.url, realm, app, user),
      await passwordLogin(keycloak.url, realm, app, user),
    ];
    await logoutUser(admin, realm, user.id);
    expect(await userSessions(admin, realm, user.id)).toEqual([]);
    for (const { sessionId } of sessions) expect(await logoutTokensFor(sessionId)).toHaveLength(1);
  });
});

describe('changing the account', () => {
  it('a disabled user can no longer log in, and can again once enabled', async () => {
    const user = await newUser();
    await setUserEnabled(admin, realm, user.id, false);
    await expect(passwordLogin(keycloak.url, realm, app, user)).rejects.toMatchObject({
      status: 400,
    });
    await setUserEnabled(admin, realm, user.id, true);
    await expect(passwordLogin(keycloak.url, realm, app, user)).resolves.toMatchObject({
      sessionId: expect.any(String),
    });
  });

  it('a reset password replaces the old one', async () => {
    const user = await newUser();
    await resetPassword(admin, realm, user.id, 'the-new-password');
    await expect(passwordLogin(keycloak.url, realm, app, user)).rejects.toMatchObject({
      body: expect.stringContaining('Invalid user credentials'),
    });
    await expect(
      passwordLogin(keycloak.url, realm, app, { ...user, password: 'the-new-password' }),
    ).resolves.toMatchObject({ sessionId: expect.any(String) });
  });
});

describe('the SSF receiver client', () => {
  it('gets a token for the stream API and may create a push stream to a loopback http URL', async () => {
    const endpoint = 'http://127.0.0.1:9/ssf/push';
    const gateway = await configureSsfReceiver(admin, realm, {
      clientId: 'gateway',
      pushUrls: [endpoint],
    });
    const token = await clientCredentialsToken(keycloak.url, realm, gateway);
    const { payload } = await jwtVerify(token, jwks, { issuer });
    expect(String(payload['scope']).split(' ')).toEqual(
      expect.arrayContaining(['ssf.read', 'ssf.manage']),
    );
    const streams = `${issuer}/ssf/transmitter/streams`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(streams, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        delivery: {
          method: 'urn:ietf:rfc:8935',
          endpoint_url: endpoint,
          authorization_header: 'Bearer t',
        },
      }),
    });
    expect(created.status).toBe(201);
    const stream = (await created.json()) as { stream_id: string; aud: string[] };
    expect(stream.aud).toEqual([`gateway/${stream.stream_id}`]);
    const listed = (await (await fetch(streams, { headers })).json()) as { stream_id: string }[];
    expect(listed.map((entry) => entry.stream_id)).toEqual([stream.stream_id]);
  });

  it('pushes a signed session-revoked SET for a user logout, and an emitted one for a disabled user', async () => {
    const endpoint = `${listenerUrl}/ssf/push`;
    const gateway = await configureSsfReceiver(admin, realm, {
      clientId: 'push-gateway',
      pushUrls: [endpoint],
    });
    const token = await clientCredentialsToken(keycloak.url, realm, gateway);
    const created = await fetch(`${issuer}/ssf/transmitter/streams`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        delivery: {
          method: 'urn:ietf:rfc:8935',
          endpoint_url: endpoint,
          authorization_header: 'Bearer push-1',
        },
      }),
    });
    expect(created.status).toBe(201);
    const { stream_id: streamId } = (await created.json()) as { stream_id: string };

    const user = await newUser();
    const tokens = await passwordLogin(keycloak.url, realm, app, user);
    await logoutSession(keycloak.url, realm, app, tokens.refreshToken);
    const revoked = await pushedSet((payload) => subjectSession(payload) === tokens.sessionId);
    expect(revoked.authorization).toBe('Bearer push-1');
    expect(revoked.contentType).toBe('application/secevent+jwt');
    expect(revoked.header.typ).toBe('secevent+jwt');
    expect(revoked.payload.aud).toBe(`push-gateway/${streamId}`);
    expect(Object.keys(revoked.payload['events'] as object)).toEqual([SESSION_REVOKED]);
    expect(revoked.payload['sub_id']).toMatchObject({
      format: 'complex',
      user: { format: 'iss_sub', iss: issuer, sub: user.id },
    });

    await setUserEnabled(admin, realm, user.id, false);
    const jti = await emitSsfEvent(admin, realm, {
      receiverClientId: 'push-gateway',
      eventType: 'CaepSessionRevoked',
      userId: user.id,
      event: { initiating_entity: 'admin' },
    });
    const emitted = await pushedSet((payload) => payload.jti === jti);
    expect(Object.keys(emitted.payload['events'] as object)).toEqual([SESSION_REVOKED]);
    expect(JSON.stringify(emitted.payload['sub_id'])).toContain(user.id);
  });

  it('needs a push URL when push delivery is allowed', async () => {
    await expect(
      configureSsfReceiver(admin, realm, { clientId: 'no-urls', delivery: ['push'] }),
    ).rejects.toThrow(TypeError);
  });
});
