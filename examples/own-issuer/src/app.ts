/**
 * The issuer's HTTP API (the same paths as the user-service's, so clients move between them):
 *
 *   POST /auth/register {username, password}  → 201
 *   POST /auth/login {username, password}     → 200 { accessToken, tokenType, expiresIn, sessionId }
 *   POST /auth/logout (Bearer)                → 204; the session's tokens are refused everywhere
 *   GET  /.well-known/jwks.json               → the public key verifiers check tokens with
 *   GET  /me (Bearer)                         → a resource behind the fabric's verifier
 *
 * Errors carry the fabric's one body, `{ error: { code, message } }` (protocol's `errorBody`).
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { ErrorRequestHandler, Express, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { errorBody } from '@revocation-fabric/protocol';
import type { Verifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import { issueAccessToken, readOwnToken } from './access-tokens.js';
import type { TokenSettings } from './access-tokens.js';
import type { Database } from './database.js';
import { endSession } from './logout.js';
import type { LogoutDeps } from './logout.js';
import { hashPassword, passwordMatches } from './passwords.js';
import type { SigningKey } from './signing-key.js';

export interface AppDeps extends LogoutDeps {
  readonly db: Kysely<Database>;
  readonly key: SigningKey;
  readonly tokens: TokenSettings;
  /** Judges `/me`: trusts this issuer, learns its logouts from the revocation topic. */
  readonly verifier: Verifier;
  readonly logger: Logger;
}

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json(errorBody(code, message));
}

/** `{ username, password }` from a request body, or undefined. */
function credentials(body: unknown): { username: string; password: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || !/^[A-Za-z0-9._-]{3,64}$/.test(username)) return undefined;
  if (typeof password !== 'string' || password.length < 12 || password.length > 256)
    return undefined;
  return { username, password };
}

export function createApp(deps: AppDeps): Express {
  const { db, key, tokens, verifier, logger } = deps;
  const app = express();
  app.use(express.json({ limit: '16kb' }));

  app.post('/auth/register', async (req, res) => {
    const given = credentials(req.body);
    if (given === undefined) {
      refuse(
        res,
        400,
        'INVALID_REQUEST',
        'username: 3-64 of [A-Za-z0-9._-]; password: 12-256 characters',
      );
      return;
    }
    const id = randomUUID();
    const created = await db
      .insertInto('accounts')
      .values({ id, username: given.username, password_hash: await hashPassword(given.password) })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (created === undefined) {
      refuse(res, 409, 'USERNAME_TAKEN', 'that username is taken');
      return;
    }
    res.status(201).json({ id, username: given.username });
  });

  app.post('/auth/login', async (req, res) => {
    const given = credentials(req.body);
    const account =
      given === undefined
        ? undefined
        : await db
            .selectFrom('accounts')
            .select(['id', 'password_hash'])
            .where('username', '=', given.username)
            .executeTakeFirst();
    if (
      given === undefined ||
      account === undefined ||
      !(await passwordMatches(given.password, account.password_hash))
    ) {
      refuse(res, 401, 'INVALID_CREDENTIALS', 'wrong username or password');
      return;
    }
    const sid = randomUUID();
    await db
      .insertInto('sessions')
      .values({ id: sid, account_id: account.id, revoked_at: null })
      .execute();
    const accessToken = await issueAccessToken(key, tokens, { sub: account.id, sid, roles: [] });
    res.json({ accessToken, tokenType: 'Bearer', expiresIn: tokens.ttlSeconds, sessionId: sid });
  });

  app.post('/auth/logout', async (req, res) => {
    const bearer = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(req.headers.authorization ?? '')?.[1];
    const own = bearer === undefined ? undefined : await readOwnToken(key, tokens, bearer);
    if (own === undefined || !(await endSession(deps, own.sub, own.sid))) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      refuse(res, 401, 'UNAUTHORIZED', 'no live session for this token');
      return;
    }
    res.status(204).end();
  });

  app.get('/.well-known/jwks.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({ keys: [key.publicJwk] });
  });

  app.get('/me', requireAuth(verifier, { realm: 'own-issuer' }), (req, res) => {
    res.json({ sub: req.auth?.claims.sub, sid: req.auth?.claims.sid });
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.sendStatus(verifier.stats().serving ? 200 : 503);
  });

  const errors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      refuse(
        res,
        status,
        status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_REQUEST',
        'the request body could not be read',
      );
      return;
    }
    logger.error({ err: error }, 'request failed');
    refuse(res, 500, 'INTERNAL_ERROR', 'internal error');
  };
  app.use(errors);
  return app;
}
