/**
 * The HTTP API: the signed-in player and the leaderboard behind `requireAuth`, plus health,
 * readiness and metrics. Answers are JSON; every error answer is protocol's one error body,
 * `{ error: { code, message, requestId } }`, and bad input (a malformed percent-escape, …) is a
 * 400, never a 500.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { errorBody } from '@revocation-fabric/protocol';
import { requestLogOptions } from '@revocation-fabric/service-runtime';
import type { Verifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import type { GameServiceConfig } from '../config.js';
import { GameError } from '../game/errors.js';
import type { GameRooms } from '../game/game-rooms.js';
import type { Leaderboard } from '../game/leaderboard.js';
import type { GameMetrics } from '../metrics.js';
import { roomName } from '../realtime/messages.js';

/** What the app is built from. */
export interface AppDeps {
  readonly config: GameServiceConfig;
  readonly verifier: Verifier;
  readonly rooms: GameRooms;
  readonly leaderboard: Leaderboard;
  readonly metrics: GameMetrics;
  readonly logger: Logger;
}

/** An incoming `X-Request-Id` worth echoing; anything else is replaced by a fresh id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Express and its router throw errors with a 4xx `status` for client mistakes, e.g. a 400
 * `URIError` for a path parameter that is not valid percent-encoding (`/rooms/%ZZ`): the
 * client's fault, answered 400 `INVALID_REQUEST`, never the 500 path.
 */
function clientError(error: unknown): GameError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code =
    typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 0;
  if (code === 404) return new GameError({ code: 'NOT_FOUND' });
  if (code >= 400 && code < 500) {
    return new GameError({ code: 'INVALID_REQUEST', message: 'malformed request' });
  }
  return undefined;
}

/** Players listed by `GET /leaderboard`. */
const LEADERBOARD_SIZE = 20;

/**
 * Whether the instance should receive traffic: the verifier has replayed the revocation topic
 * and, if it fails closed, is not stale. Until then every token would be refused with 503.
 */
function readiness(config: GameServiceConfig, verifier: Verifier) {
  const stats = verifier.stats();
  const ready = stats.ready && !(stats.stale && config.auth.onStale === 'closed');
  return {
    ready,
    body: {
      status: ready ? 'ok' : 'unavailable',
      instance: config.instanceId,
      verifier: {
        ready: stats.ready,
        stale: stats.stale,
        rules: stats.rulesByKind,
        lag: stats.totalLag,
        msSinceLastContact: stats.msSinceLastContact,
      },
    },
  };
}

/**
 * Builds the express app.
 *
 * @example
 * ```ts
 * const app = createApp({ config, verifier, rooms, leaderboard, metrics, logger });
 * ```
 */
export function createApp(deps: AppDeps): express.Express {
  const { config, verifier, rooms, leaderboard, metrics, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp<IncomingMessage, ServerResponse>({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // A 503 from /readyz or a 4xx is a refusal, logged at info without a stack; only a real
      // failure is logged at error.
      ...requestLogOptions,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      metrics.httpDuration.observe(
        {
          method: req.method,
          route: typeof route === 'string' ? route : 'unmatched',
          status: String(res.statusCode),
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', instance: config.instanceId });
  });
  app.get('/readyz', (_req, res) => {
    const { ready, body } = readiness(config, verifier);
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(body);
  });
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const auth = requireAuth(verifier, { realm: 'game' });
  app.get('/me', auth, (req, res) => {
    const claims = req.auth?.claims;
    if (claims === undefined) throw new Error('requireAuth did not set req.auth');
    res.set('Cache-Control', 'no-store').json({
      instance: config.instanceId,
      sub: claims.sub,
      sid: claims.sid,
      roles: claims.roles,
      exp: claims.exp,
      record: leaderboard.entry(claims.sub),
    });
  });
  app.get('/leaderboard', auth, (_req, res) => {
    res.json({ instance: config.instanceId, players: leaderboard.top(LEADERBOARD_SIZE) });
  });
  app.get('/rooms/:room', auth, (req, res) => {
    const parsed = roomName.safeParse(req.params['room']);
    const room = parsed.success ? rooms.get(parsed.data) : undefined;
    if (room === undefined)
      throw new GameError({ code: 'NOT_FOUND', message: 'no such open room' });
    res.json({ instance: config.instanceId, ...room.snapshot() });
  });

  app.use((_req: Request, _res: Response, next: NextFunction) => {
    next(new GameError({ code: 'NOT_FOUND', message: 'no such route' }));
  });
  // Express recognises an error handler by its four parameters.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof GameError ? error : clientError(error);
    // The request log line carries a real failure with its stack; refusals are logged as such.
    if (known === undefined) res.err = error instanceof Error ? error : new Error(String(error));
    const answer = known ?? new GameError({ code: 'INTERNAL_ERROR' });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(answer.status)
      .json(errorBody(answer.code, answer.message, { requestId: String(req.id) }));
  });
  return app;
}
