/**
 * The fastify adapter through fastify's own `inject` (no network): a real verifier, real keys,
 * real signed tokens, revocations from a hand-driven feed.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualFeed, START, mint, mintAt, revocation, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import {
  MALFORMED_AUTHORIZATION,
  expectInvalidRequest,
  expectNamelessGuardsRefused,
  recentAuthChallenge,
} from '../lib/bearer-answers.fixture.js';
import { trustingVerifier } from '../lib/verifier.fixture.js';
import type { Verifier } from '../verifier.js';
import {
  requireAllRoles,
  requireAllScopes,
  requireAnyRole,
  requireRecentAuth,
  verifierAuth,
} from './index.js';

let key: SigningKey;
let readyFeed: ManualFeed;
let verifier: Verifier;
let unready: Verifier;
let app: FastifyInstance;
let unreadyApp: FastifyInstance;
let clock = START;

function newVerifier(feed: ManualFeed, now?: () => number): Verifier {
  return trustingVerifier([key], feed, {
    ...(now === undefined ? {} : { now }),
    // The hand-driven feed reports contact once; the tests move the clock by minutes.
    maxStalenessMs: 3_600_000,
  });
}

/** A token minted at the verifier's clock, `authAgeSeconds` after its user logged in. */
function tokenAt(authAgeSeconds: number, claims: Record<string, unknown> = {}): Promise<string> {
  return mintAt(key, clock, authAgeSeconds, claims);
}

beforeAll(async () => {
  key = await signingKey('k1');
  readyFeed = new ManualFeed();
  verifier = newVerifier(readyFeed, () => clock);
  readyFeed.markReady();
  readyFeed.contactAt = START;
  unready = newVerifier(new ManualFeed());

  app = Fastify();
  await app.register(verifierAuth, { verifier, realm: 'game', retryAfterSeconds: 7 });
  const ok = () => ({ ok: true });
  app.get('/me', { onRequest: app.requireAuth }, (request) => ({
    sub: request.auth?.claims.sub,
    roles: request.auth?.claims.roles,
  }));
  app.get('/open', (request) => ({ authenticated: request.auth !== undefined }));
  app.get(
    '/admin',
    { onRequest: app.requireAuth, preHandler: requireAnyRole('admin', 'moderator') },
    ok,
  );
  app.get(
    '/staff',
    { onRequest: app.requireAuth, preHandler: requireAllRoles('admin', 'moderator') },
    ok,
  );
  app.get(
    '/scores',
    { onRequest: app.requireAuth, preHandler: requireAllScopes('scores:read') },
    ok,
  );
  app.get(
    '/write',
    { onRequest: app.requireAuth, preHandler: requireAllScopes('scores:read', 'scores:write') },
    ok,
  );
  // A route with its own generics and schema takes the hooks as they are.
  app.post<{ Body: { amount?: number } | undefined }>(
    '/payout',
    {
      schema: { body: { type: 'object', properties: { amount: { type: 'number' } } } },
      onRequest: app.requireAuth,
      preHandler: requireRecentAuth({ maxAgeSeconds: 300 }),
    },
    (request) => ({ ok: true, amount: request.body?.amount }),
  );
  app.get('/unguarded', { preHandler: requireAnyRole('admin') }, ok);
  // Guards are hooks of the same shape: in onRequest they refuse before the body is read.
  app.post(
    '/early',
    {
      schema: { body: { type: 'object', required: ['amount'] } },
      onRequest: [app.requireAuth, requireAnyRole('admin')],
    },
    ok,
  );
  await app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', scope.requireAuth);
      scope.get('/whoami', (request) => ({ sub: request.auth?.claims.sub }));
      done();
    },
    { prefix: '/scoped' },
  );

  unreadyApp = Fastify();
  await unreadyApp.register(verifierAuth, { verifier: unready });
  unreadyApp.get('/me', { onRequest: unreadyApp.requireAuth }, ok);
});

afterAll(async () => {
  await app.close();
  await unreadyApp.close();
  await verifier.close();
  await unready.close();
});

async function call(
  url: string,
  authorization?: string | string[],
  { method = 'GET', server = app }: { method?: 'GET' | 'POST'; server?: FastifyInstance } = {},
) {
  const response = await server.inject({
    method,
    url,
    ...(method === 'POST' ? { payload: { amount: 5 } } : {}),
    // Capitalized: the lower-case key is typed as one string, and a test sends several.
    headers: authorization === undefined ? {} : { Authorization: authorization },
  });
  return {
    status: response.statusCode,
    challenge: response.headers['www-authenticate'],
    retryAfter: response.headers['retry-after'],
    body: response.json<Record<string, unknown>>(),
  };
}

describe('verifierAuth and app.requireAuth', () => {
  it('admits a valid bearer token and sets request.auth', async () => {
    const response = await call('/me', `Bearer ${await tokenAt(0, { sub: 'u-7' })}`);
    expect(response).toMatchObject({ status: 200, body: { sub: 'u-7', roles: ['player'] } });
  });

  it('leaves request.auth unset on routes without the hook', async () => {
    const response = await call('/open', `Bearer ${await tokenAt(0)}`);
    expect(response).toMatchObject({ status: 200, body: { authenticated: false } });
  });

  it('answers a request without credentials with a bare challenge and the one error body', async () => {
    const response = await call('/me');
    expect(response).toMatchObject({ status: 401, challenge: 'Bearer realm="game"' });
    expect(response.body).toEqual({
      error: {
        code: 'TOKEN_MISSING',
        message: 'no bearer token presented',
        requestId: expect.stringMatching(/^req-/),
      },
    });
  });

  it('puts the id fastify logs the request under in the error body', async () => {
    const server = Fastify({ requestIdHeader: 'x-request-id' });
    try {
      await server.register(verifierAuth, { verifier });
      server.get('/me', { onRequest: server.requireAuth }, () => ({ ok: true }));
      const response = await server.inject({ url: '/me', headers: { 'x-request-id': 'r-42' } });
      expect(response.json()).toMatchObject({
        error: { code: 'TOKEN_MISSING', requestId: 'r-42' },
      });
    } finally {
      await server.close();
    }
  });

  it.each(MALFORMED_AUTHORIZATION)(
    'answers the malformed header %j with invalid_request',
    async (header) => {
      expectInvalidRequest(await call('/me', header));
    },
  );

  it('answers several Authorization headers with invalid_request', async () => {
    const token = await tokenAt(0);
    const response = await call('/me', [`Bearer ${token}`, `Bearer ${token}`]);
    expect(response.status).toBe(401);
    expect(response.challenge).toContain('error="invalid_request"');
  });

  it('answers a revoked token with 401 TOKEN_REVOKED', async () => {
    const token = await tokenAt(0, { sid: 'fastify-session' });
    expect((await call('/me', `Bearer ${token}`)).status).toBe(200);
    readyFeed.deliver(
      revocation({ kind: 'session', sid: 'fastify-session', reason: 'logout', issuedAt: clock }),
    );
    const response = await call('/me', `Bearer ${token}`);
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_REVOKED' } } });
    expect(response.challenge).toMatch(/^Bearer realm="game", error="invalid_token"/);
  });

  it('answers 503 with Retry-After and no challenge while the verifier is not ready', async () => {
    const response = await call('/me', `Bearer ${await mint(key)}`, { server: unreadyApp });
    expect(response).toMatchObject({
      status: 503,
      retryAfter: '5',
      challenge: undefined,
      body: { error: { code: 'NOT_READY' } },
    });
  });

  it('guards a whole encapsulated scope with scope.addHook', async () => {
    expect(
      await call('/scoped/whoami', `Bearer ${await tokenAt(0, { sub: 'u-8' })}`),
    ).toMatchObject({ status: 200, body: { sub: 'u-8' } });
    expect(await call('/scoped/whoami')).toMatchObject({
      status: 401,
      body: { error: { code: 'TOKEN_MISSING' } },
    });
  });

  it.each([
    [{ verifier: {} }, /verifier/],
    [{ verifier: undefined }, /verifier/],
    [{ realm: 5 }, /realm/],
    [{ retryAfterSeconds: -1 }, /retryAfterSeconds/],
    [{ retryAfterSeconds: 1.5 }, /retryAfterSeconds/],
  ])('fails registration with a TypeError naming the bad option %#', async (options, name) => {
    const server = Fastify();
    try {
      // Deliberately wrong options, as an untyped caller could pass them.
      const registration = server.register(verifierAuth, {
        verifier,
        ...options,
      } as unknown as Parameters<typeof verifierAuth>[1]);
      await expect(registration).rejects.toThrow(TypeError);
      await expect(server.ready()).rejects.toThrow(name);
    } finally {
      await server.close().catch(() => {});
    }
  });
});

describe('requireAnyRole, requireAllRoles and requireAllScopes', () => {
  it('admits a token holding one of the roles, every role only where all are required', async () => {
    const one = await tokenAt(0, { roles: ['moderator'] });
    const both = await tokenAt(0, { roles: ['moderator', 'admin'] });
    expect((await call('/admin', `Bearer ${one}`)).status).toBe(200);
    expect((await call('/staff', `Bearer ${one}`)).status).toBe(403);
    expect((await call('/staff', `Bearer ${both}`)).status).toBe(200);
  });

  it('answers a token lacking the roles with 403 insufficient_scope', async () => {
    const response = await call('/admin', `Bearer ${await tokenAt(0)}`);
    expect(response).toMatchObject({
      status: 403,
      body: { error: { code: 'INSUFFICIENT_SCOPE' } },
    });
    expect(response.challenge).toMatch(/^Bearer realm="game", error="insufficient_scope"/);
  });

  it('admits a token granting every scope, and names the scopes when refusing', async () => {
    expect((await call('/scores', `Bearer ${await tokenAt(0)}`)).status).toBe(200);
    const response = await call('/write', `Bearer ${await tokenAt(0)}`);
    expect(response.status).toBe(403);
    expect(response.challenge).toContain('scope="scores:read scores:write"');
  });

  it('refuses in onRequest, before the body is validated, when put there', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/early',
      headers: { authorization: `Bearer ${await tokenAt(0)}` },
      payload: { not: 'valid' },
    });
    expect(response.statusCode).toBe(403);
    const admin = await tokenAt(0, { roles: ['admin'] });
    const invalid = await app.inject({
      method: 'POST',
      url: '/early',
      headers: { authorization: `Bearer ${admin}` },
      payload: { not: 'valid' },
    });
    expect(invalid.statusCode).toBe(400);
  });

  it('fails loudly (500, fastify’s error handler) when run without requireAuth', async () => {
    const response = await call('/unguarded', `Bearer ${await tokenAt(0)}`);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ message: expect.stringMatching(/requireAuth/) });
  });

  it('refuses to build a guard without names', () => {
    expectNamelessGuardsRefused({ requireAnyRole, requireAllRoles, requireAllScopes });
  });
});

describe('requireRecentAuth', () => {
  const challenge = recentAuthChallenge('at most 300 s ago');

  it('admits a login at most maxAgeSeconds old by the verifier’s clock', async () => {
    expect((await call('/payout', `Bearer ${await tokenAt(0)}`, { method: 'POST' })).status).toBe(
      200,
    );
    expect((await call('/payout', `Bearer ${await tokenAt(300)}`, { method: 'POST' })).status).toBe(
      200,
    );
  });

  it('answers an older login with 401 and the RFC 9470 challenge', async () => {
    const response = await call('/payout', `Bearer ${await tokenAt(301)}`, { method: 'POST' });
    expect(response).toMatchObject({
      status: 401,
      challenge,
      body: { error: { code: 'INSUFFICIENT_USER_AUTHENTICATION' } },
    });
  });

  it('refuses the same token once the verifier’s clock has moved past the maximum age', async () => {
    const token = await tokenAt(0);
    try {
      clock = START + 300_000;
      expect((await call('/payout', `Bearer ${token}`, { method: 'POST' })).status).toBe(200);
      clock = START + 301_000;
      const response = await call('/payout', `Bearer ${token}`, { method: 'POST' });
      expect(response).toMatchObject({ status: 401, challenge });
      // The token itself is still good.
      expect((await call('/me', `Bearer ${token}`)).status).toBe(200);
    } finally {
      clock = START;
    }
  });

  it('refuses a token without auth_time: it cannot prove a recent login', async () => {
    const token = await tokenAt(0, { auth_time: undefined });
    const response = await call('/payout', `Bearer ${token}`, { method: 'POST' });
    expect(response).toMatchObject({
      status: 401,
      body: { error: { code: 'INSUFFICIENT_USER_AUTHENTICATION' } },
    });
    expect(response.challenge).toBe(recentAuthChallenge('the token carries no auth_time'));
  });

  it.each([0, -5, 1.5, '300', undefined])('refuses maxAgeSeconds %j at creation', (value) => {
    expect(() => requireRecentAuth({ maxAgeSeconds: value as number })).toThrow(
      /requireRecentAuth\(options\)\.maxAgeSeconds/,
    );
  });
});
