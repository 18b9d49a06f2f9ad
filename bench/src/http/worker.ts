/**
 * B2 worker: one express server on loopback, with one of three ways to guard the same endpoint:
 * no auth, the verifier's `requireAuth`, or jose verification + a Redis revocation lookup per
 * request (the common "jti in Redis" design).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { Verifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import type { Message } from '../lib/child.js';
import { MAX_TOKEN_LIFETIME_MS } from '../lib/kafka.js';
import { connectRedis, loadRevokedKeys, unlinkRevokedKeys } from '../lib/redis.js';
import type { RedisClient } from '../lib/redis.js';
import { VERIFIER_JOSE_OPTIONS } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';

export type HttpMode = 'none' | 'verifier' | 'jose-redis';

export interface HttpServerRequest extends Message {
  readonly type: 'start';
  readonly mode: HttpMode;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly jwks: JSONWebKeySet;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** Revoked keys to hold in Redis (the same count as the verifier's rules). */
  readonly redisKeys: number;
}

export interface HttpServerReady extends Message {
  readonly type: 'ready';
  readonly url: string;
  /** Rules the verifier holds (verifier mode) or keys loaded into Redis (jose-redis mode). */
  readonly rules: number;
}

let verifier: Verifier | undefined;
let redis: RedisClient | undefined;
let redisCleanup: (() => Promise<void>) | undefined;

function joseRedisAuth(request: HttpServerRequest, client: RedisClient) {
  const jwks = createLocalJWKSet(request.jwks);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer ')) {
      res.status(401).json({ error: 'TOKEN_MISSING' });
      return;
    }
    try {
      const { payload } = await jwtVerify(header.slice(7), jwks, VERIFIER_JOSE_OPTIONS);
      if ((await client.exists(`${request.redisPrefix}${payload.jti ?? ''}`)) !== 0) {
        res.status(401).json({ error: 'TOKEN_REVOKED' });
        return;
      }
      res.locals['sub'] = payload.sub;
      next();
    } catch {
      res.status(401).json({ error: 'TOKEN_INVALID' });
    }
  };
}

async function start(request: HttpServerRequest): Promise<HttpServerReady> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  let rules = 0;
  switch (request.mode) {
    case 'none':
      app.get('/resource', (_req, res) => {
        res.json({ sub: 'anonymous' });
      });
      break;
    case 'verifier': {
      const created = benchVerifier({
        jwks: request.jwks,
        brokers: request.brokers,
        topic: request.topic,
        clientId: 'bench-b2',
      });
      verifier = created;
      await created.ready();
      rules = Object.values(created.stats().rulesByKind).reduce((a, b) => a + b, 0);
      app.get('/resource', requireAuth(created), (req, res) => {
        res.json({ sub: req.auth?.claims.sub });
      });
      break;
    }
    case 'jose-redis': {
      const client = await connectRedis(request.redisUrl);
      redis = client;
      await loadRevokedKeys(
        client,
        request.redisPrefix,
        request.redisKeys,
        Math.ceil(MAX_TOKEN_LIFETIME_MS / 1000),
      );
      redisCleanup = () => unlinkRevokedKeys(client, request.redisPrefix, request.redisKeys);
      rules = request.redisKeys;
      app.get('/resource', joseRedisAuth(request, client), (_req, res) => {
        res.json({ sub: res.locals['sub'] as string | undefined });
      });
      break;
    }
  }
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { type: 'ready', url: `http://127.0.0.1:${port}`, rules };
}

listen<HttpServerRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'stop') {
    await redisCleanup?.().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    await verifier?.close();
    process.exit(0);
  }
  reply(await start(message));
});
process.on('uncaughtException', fail);
