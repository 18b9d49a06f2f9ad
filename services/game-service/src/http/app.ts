/**
 * The HTTP API: the signed-in player and the leaderboard behind `requireAuth`, plus health,
 * readiness and metrics. Answers are JSON; every error answer is protocol's one error body,
 * `{ error: { code, message, requestId } }`, and bad input (a malformed percent-escape, …) is a
 * 400, never a 500.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { requestLogOptions } from '@revocation-fabric/service-runtime';
import type { Verifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import type { GameServiceConfig } from '../config.js';
import { GameError } from '../game/errors.js';
import type { GameRooms } from '../game/game-rooms.js';
import type { Leaderboard } from '../game/leaderboard.js';
import type { GameMetrics } from '../metrics.js';
import { roomName } from '../realtime/messages.js';
import { answerError, answerNotFound, requestId } from './error-answers.js';

/** What the app is built from. */
export interface AppDeps {
  readonly config: GameServiceConfig;
  readonly verifier: Verifier;
  readonly rooms: GameRooms;
  readonly leaderboard: Leaderboard;
  readonly metrics: GameMetrics;
  readonly logger: Logger;
}

/** Players listed by `GET /leaderboard`. */
const LEADERBOARD_SIZE = 20;

/**
 * Whether the instance should receive traffic: the verifier has replayed the revocation topic
 * and, if it fails closed, is not stale. Until then every token would be refused with 503.
 */
function readiness(config: GameServiceConfig, verifier: Verifier) {
  const stats = verifier.stats();
  const ready = stats.serving;
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
        msSinceLastAppliedEvent: stats.msSinceLastAppliedEvent,
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
      genReqId: requestId,
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

  app.use(answerNotFound);
  app.use(answerError);
  return app;
}
