/**
 * The express and fastify adapters answer every kind of refusal alike: the same status, the
 * same headers a client reads, the same body byte for byte — one verifier behind both, the
 * same request id given to both.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFIER_ERROR_RESPONSES } from '../errors.js';
import type { VerifierErrorCode } from '../errors.js';
import * as forExpress from '../express/index.js';
import { ManualFeed, mint, revocation, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { trustingVerifier } from '../lib/verifier.fixture.js';
import type { Verifier } from '../verifier.js';
import * as forFastify from './index.js';

/** What a client reads of a refusal; framework extras (X-Powered-By, ETag) are not compared. */
const HEADERS = ['www-authenticate', 'retry-after', 'cache-control', 'content-type'] as const;
const OPTIONS = { realm: 'game "arena"', retryAfterSeconds: 9 };

let key: SigningKey;
let strangerKey: SigningKey;
let feed: ManualFeed;
let verifier: Verifier;
let unready: Verifier;
let server: Server;
let base: string;
let app: FastifyInstance;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

beforeAll(async () => {
  key = await signingKey('k1');
  strangerKey = await signingKey('k1');
  feed = new ManualFeed();
  verifier = trustingVerifier([key], feed);
  feed.markReady();
  unready = trustingVerifier([key], new ManualFeed());

  const viaExpress = express();
  // What pino-http does: the request's id on `req.id`.
  viaExpress.use((req, _res, next) => {
    Object.assign(req, { id: req.get('x-request-id') });
    next();
  });
  const auth = forExpress.requireAuth(verifier, OPTIONS);
  const ok: express.RequestHandler = (_req, res) => {
    res.json({ ok: true });
  };
  viaExpress.get('/me', auth, ok);
  viaExpress.get('/admin', auth, forExpress.requireAnyRole('admin'), ok);
  viaExpress.get('/write', auth, forExpress.requireAllScopes('scores:read', 'scores:write'), ok);
  viaExpress.get('/payout', auth, forExpress.requireRecentAuth({ maxAgeSeconds: 300 }), ok);
  viaExpress.get('/unready', forExpress.requireAuth(unready, OPTIONS), ok);
  server = viaExpress.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  app = Fastify({ requestIdHeader: 'x-request-id' });
  await app.register(forFastify.verifierAuth, { verifier, ...OPTIONS });
  const fine = () => ({ ok: true });
  const { requireAuth } = app;
  app.get('/me', { onRequest: requireAuth }, fine);
  app.get(
    '/admin',
    { onRequest: requireAuth, preHandler: forFastify.requireAnyRole('admin') },
    fine,
  );
  app.get(
    '/write',
    {
      onRequest: requireAuth,
      preHandler: forFastify.requireAllScopes('scores:read', 'scores:write'),
    },
    fine,
  );
  app.get(
    '/payout',
    { onRequest: requireAuth, preHandler: forFastify.requireRecentAuth({ maxAgeSeconds: 300 }) },
    fine,
  );
  // The unready verifier needs its own plugin registration: a scope of its own.
  await app.register(async (scope) => {
    await scope.register(forFastify.verifierAuth, { verifier: unready, ...OPTIONS });
    scope.get('/unready', { onRequest: scope.requireAuth }, fine);
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await app.close();
  await verifier.close();
  await unready.close();
});

function headersOf(read: (name: string) => string | undefined): Answer['headers'] {
  return Object.fromEntries(HEADERS.map((name) => [name, read(name)]));
}

async function fromExpress(path: string, authorization: string | undefined): Promise<Answer> {
  const response = await fetch(base + path, {
    headers: {
      'x-request-id': 'parity-1',
      ...(authorization === undefined ? {} : { authorization }),
    },
  });
  return {
    status: response.status,
    headers: headersOf((name) => response.headers.get(name) ?? undefined),
    body: await response.text(),
  };
}

async function fromFastify(path: string, authorization: string | undefined): Promise<Answer> {
  const response = await app.inject({
    url: path,
    headers: {
      'x-request-id': 'parity-1',
      ...(authorization === undefined ? {} : { authorization }),
    },
  });
  return {
    status: response.statusCode,
    headers: headersOf((name) => {
      const value = response.headers[name];
      return value === undefined ? undefined : String(value);
    }),
    body: response.body,
  };
}

/** Seconds since the epoch, now. */
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('express and fastify', () => {
  it.each<
    [code: VerifierErrorCode, path: string, authorization: () => Promise<string | undefined>]
  >([
    ['TOKEN_MISSING', '/me', () => Promise.resolve(undefined)],
    ['TOKEN_MALFORMED', '/me', () => Promise.resolve('Basic dXNlcjpwYXNz')],
    ['TOKEN_MALFORMED', '/me', () => Promise.resolve('Bearer not-a-jwt')],
    ['SIGNATURE_INVALID', '/me', async () => `Bearer ${await mint(strangerKey)}`],
    [
      'TOKEN_EXPIRED',
      '/me',
      async () => `Bearer ${await mint(key, { now: nowSeconds() - 600, lifetime: 60 })}`,
    ],
    ['CLAIM_INVALID', '/me', async () => `Bearer ${await mint(key, { claims: { aud: 'other' } })}`],
    [
      'TOKEN_REVOKED',
      '/me',
      async () => {
        const token = await mint(key, { claims: { sid: 'parity-session' } });
        feed.deliver(revocation({ kind: 'session', sid: 'parity-session', reason: 'logout' }));
        return `Bearer ${token}`;
      },
    ],
    ['INSUFFICIENT_SCOPE', '/admin', async () => `Bearer ${await mint(key)}`],
    ['INSUFFICIENT_SCOPE', '/write', async () => `Bearer ${await mint(key)}`],
    [
      'INSUFFICIENT_USER_AUTHENTICATION',
      '/payout',
      async () => `Bearer ${await mint(key, { claims: { auth_time: nowSeconds() - 3_600 } })}`,
    ],
    [
      'INSUFFICIENT_USER_AUTHENTICATION',
      '/payout',
      async () => `Bearer ${await mint(key, { claims: { auth_time: undefined } })}`,
    ],
    ['NOT_READY', '/unready', async () => `Bearer ${await mint(key)}`],
  ])('answer %s on %s identically', async (code, path, authorization) => {
    const header = await authorization();
    const viaExpress = await fromExpress(path, header);
    const viaFastify = await fromFastify(path, header);
    expect(viaExpress.status).toBe(VERIFIER_ERROR_RESPONSES[code].status);
    expect(JSON.parse(viaExpress.body)).toMatchObject({ error: { code, requestId: 'parity-1' } });
    expect(viaFastify).toEqual(viaExpress);
  });
});
