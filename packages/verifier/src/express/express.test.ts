import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MALFORMED_AUTHORIZATION,
  expectInvalidRequest,
  expectNamelessGuardsRefused,
  recentAuthChallenge,
} from '../lib/bearer-answers.fixture.js';
import { ManualFeed, START, mint, mintAt, revocation, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { trustingVerifier } from '../lib/verifier.fixture.js';
import type { Verifier } from '../verifier.js';
import {
  requireAllRoles,
  requireAllScopes,
  requireAnyRole,
  requireAuth,
  requireRecentAuth,
} from './index.js';

let key: SigningKey;
let server: Server;
let base: string;
let readyFeed: ManualFeed;
let verifier: Verifier;
let unready: Verifier;
let clocked: Verifier;
let clock = START;

function newVerifier(feed: ManualFeed, now?: () => number): Verifier {
  return trustingVerifier(
    [key],
    feed,
    // The hand-driven feed reports contact once; the tests move the clock by minutes.
    now === undefined ? {} : { now, maxStalenessMs: 3_600_000 },
  );
}

/** A token minted at the clocked verifier's time, `authAgeSeconds` after its user logged in. */
function tokenAt(authAgeSeconds: number, claims: Record<string, unknown> = {}): Promise<string> {
  return mintAt(key, clock, authAgeSeconds, claims);
}

beforeAll(async () => {
  key = await signingKey('k1');
  readyFeed = new ManualFeed();
  verifier = newVerifier(readyFeed);
  readyFeed.markReady();
  unready = newVerifier(new ManualFeed());
  const clockedFeed = new ManualFeed();
  clocked = newVerifier(clockedFeed, () => clock);
  clockedFeed.markReady();
  clockedFeed.contactAt = START;

  const app = express();
  const auth = requireAuth(verifier, { realm: 'game', retryAfterSeconds: 7 });
  app.get('/me', auth, (req, res) => {
    res.json({ sub: req.auth?.claims.sub, roles: req.auth?.claims.roles });
  });
  app.get('/admin', auth, requireAnyRole('admin', 'moderator'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/staff', auth, requireAllRoles('admin', 'moderator'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/scores', auth, requireAllScopes('scores:read'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/write', auth, requireAllScopes('scores:read', 'scores:write'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/unready', requireAuth(unready, { realm: 'game' }), (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/unguarded', requireAnyRole('admin'), (_req, res) => {
    res.json({ ok: true });
  });
  app.get(
    '/payout',
    requireAuth(clocked, { realm: 'game' }),
    requireRecentAuth({ maxAgeSeconds: 300 }),
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await verifier.close();
  await unready.close();
  await clocked.close();
});

async function get(path: string, authorization?: string) {
  const response = await fetch(base + path, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined,
  };
}

describe('requireAuth', () => {
  it('admits a valid bearer token and sets req.auth', async () => {
    const token = await mint(key, { claims: { sub: 'u-7' } });
    const response = await get('/me', `Bearer ${token}`);
    expect(response).toMatchObject({ status: 200, body: { sub: 'u-7', roles: ['player'] } });
  });

  it('accepts the scheme in any case', async () => {
    expect((await get('/me', `bEaReR ${await mint(key)}`)).status).toBe(200);
  });

  it('answers a request without credentials with a bare challenge (RFC 6750 §3.1)', async () => {
    const response = await get('/me');
    expect(response).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="game"',
      body: { error: { code: 'TOKEN_MISSING' } },
    });
  });

  it.each(MALFORMED_AUTHORIZATION)(
    'answers the malformed header %j with invalid_request',
    async (header) => {
      expectInvalidRequest(await get('/me', header));
    },
  );

  it('answers several Authorization headers with invalid_request', async () => {
    const token = await mint(key);
    const answer = await new Promise<{ status: number | undefined; challenge: string | undefined }>(
      (resolve, reject) => {
        const req = httpRequest(
          `${base}/me`,
          {
            // The flat form sends each pair as its own header line (and adds no Host itself).
            headers: [
              'host',
              new URL(base).host,
              'authorization',
              `Bearer ${token}`,
              'authorization',
              `Bearer ${token}`,
            ],
          },
          (res) => {
            res.resume();
            const challenge = res.headers['www-authenticate'];
            resolve({ status: res.statusCode, challenge });
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    expect(answer.status).toBe(401);
    expect(answer.challenge).toContain('error="invalid_request"');
  });

  it('answers an invalid token with invalid_token and a description', async () => {
    const expired = await mint(key, { now: Math.floor(Date.now() / 1000) - 600, lifetime: 60 });
    const response = await get('/me', `Bearer ${expired}`);
    expect(response).toMatchObject({
      status: 401,
      body: { error: { code: 'TOKEN_EXPIRED', message: 'token has expired' } },
    });
    expect(response.challenge).toBe(
      'Bearer realm="game", error="invalid_token", error_description="token has expired"',
    );
  });

  it('answers a revoked token with 401 TOKEN_REVOKED', async () => {
    const token = await mint(key, { claims: { sid: 'express-session' } });
    expect((await get('/me', `Bearer ${token}`)).status).toBe(200);
    readyFeed.deliver(revocation({ kind: 'session', sid: 'express-session', reason: 'logout' }));
    const response = await get('/me', `Bearer ${token}`);
    expect(response).toMatchObject({ status: 401, body: { error: { code: 'TOKEN_REVOKED' } } });
    expect(response.challenge).toContain('error="invalid_token"');
  });

  it('answers 503 with Retry-After while the verifier is not ready', async () => {
    const response = await get('/unready', `Bearer ${await mint(key)}`);
    expect(response).toMatchObject({
      status: 503,
      retryAfter: '5',
      challenge: null,
      body: { error: { code: 'NOT_READY' } },
    });
  });
});

describe('requireAnyRole, requireAllRoles and requireAllScopes', () => {
  it('admits a token holding one of the roles', async () => {
    const token = await mint(key, { claims: { roles: ['player', 'moderator'] } });
    expect((await get('/admin', `Bearer ${token}`)).status).toBe(200);
  });

  it('admits a token holding every role only where all are required', async () => {
    const one = await mint(key, { claims: { roles: ['moderator'] } });
    const both = await mint(key, { claims: { roles: ['moderator', 'admin'] } });
    expect((await get('/admin', `Bearer ${one}`)).status).toBe(200);
    expect((await get('/staff', `Bearer ${one}`)).status).toBe(403);
    expect((await get('/staff', `Bearer ${both}`)).status).toBe(200);
  });

  it('answers a token lacking the roles with 403 insufficient_scope', async () => {
    const response = await get('/admin', `Bearer ${await mint(key)}`);
    expect(response).toMatchObject({
      status: 403,
      body: { error: { code: 'INSUFFICIENT_SCOPE' } },
    });
    expect(response.challenge).toMatch(/^Bearer realm="game", error="insufficient_scope"/);
  });

  it('admits a token granting every scope, and names the scopes when refusing', async () => {
    expect((await get('/scores', `Bearer ${await mint(key)}`)).status).toBe(200);
    const response = await get('/write', `Bearer ${await mint(key)}`);
    expect(response.status).toBe(403);
    expect(response.challenge).toContain('scope="scores:read scores:write"');
  });

  it('fails loudly when mounted without requireAuth', async () => {
    expect((await get('/unguarded', 'Bearer x')).status).toBe(500);
  });

  it('refuses to build a guard without names', () => {
    expectNamelessGuardsRefused({ requireAnyRole, requireAllRoles, requireAllScopes });
  });
});

describe('requireRecentAuth', () => {
  const challenge = recentAuthChallenge('at most 300 s ago');

  it('admits a login at most maxAgeSeconds old by the verifier’s clock', async () => {
    expect((await get('/payout', `Bearer ${await tokenAt(0)}`)).status).toBe(200);
    expect((await get('/payout', `Bearer ${await tokenAt(300)}`)).status).toBe(200);
  });

  it('answers an older login with 401 INSUFFICIENT_USER_AUTHENTICATION and the RFC 9470 challenge', async () => {
    const response = await get('/payout', `Bearer ${await tokenAt(301)}`);
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
      expect((await get('/payout', `Bearer ${token}`)).status).toBe(200);
      clock = START + 301_000;
      expect(await get('/payout', `Bearer ${token}`)).toMatchObject({ status: 401, challenge });
    } finally {
      clock = START;
    }
  });

  it('refuses a token without auth_time: it cannot prove a recent login', async () => {
    const response = await get('/payout', `Bearer ${await tokenAt(0, { auth_time: undefined })}`);
    expect(response).toMatchObject({
      status: 401,
      body: { error: { code: 'INSUFFICIENT_USER_AUTHENTICATION' } },
    });
    expect(response.challenge).toMatch(/ max_age=300$/);
  });

  it.each([0, -5, 1.5, '300', undefined])('refuses maxAgeSeconds %j at creation', (value) => {
    expect(() => requireRecentAuth({ maxAgeSeconds: value as number })).toThrow(
      /requireRecentAuth\(options\)\.maxAgeSeconds/,
    );
  });
});
