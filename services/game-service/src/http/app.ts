/**
 * The HTTP API: the signed-in player and the leaderboard behind `requireAuth`, plus health,
 * readiness and metrics, in the shared HTTP shell — every error answer is protocol's one error
 * body, `{ error: { code, message, requestId } }`, and bad input (a malformed percent-escape, …)
 * is a 400, never a 500.
 */
import type express from 'express';
import { z } from 'zod';
import { createHttpApp, definePublicRoute, systemRoutes } from '@revocation-fabric/service-runtime';
import type { Route } from '@revocation-fabric/service-runtime';
import type { Verifier } from '@revocation-fabric/verifier';
import { requireAuth } from '@revocation-fabric/verifier/express';
import type { Logger } from 'pino';
import type { GameServiceConfig } from '../config.js';
import { GAME_ERROR_CODES, GameError } from '../game/errors.js';
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

/** Players listed by `GET /leaderboard`. */
const LEADERBOARD_SIZE = 20;

const readinessResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  instance: z.string(),
  verifier: z.object({
    ready: z.boolean(),
    stale: z.boolean(),
    rules: z.record(z.string(), z.number()),
    lag: z.number().nullable(),
    msSinceLastContact: z.number().nullable(),
    msSinceLastAppliedEvent: z.number().nullable(),
  }),
});

/**
 * Whether the instance should receive traffic: the verifier has replayed the revocation topic
 * and, if it fails closed, is not stale. Until then every token would be refused with 503.
 */
function readiness(config: GameServiceConfig, verifier: Verifier) {
  const stats = verifier.stats();
  const ready = stats.serving;
  return {
    status: ready ? (200 as const) : (503 as const),
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

const bearer = { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } };

/**
 * Every route the game serves over HTTP.
 *
 * @example
 * ```ts
 * const routes = gameRoutes({ config, verifier, rooms, leaderboard, metrics, logger });
 * ```
 */
export function gameRoutes(deps: AppDeps): Route<never>[] {
  const { config, verifier, rooms, leaderboard } = deps;
  const auth = requireAuth(verifier, { realm: 'game' });
  const signedIn = {
    auth: 'none',
    before: [auth],
    security: [{ bearerAuth: [] }],
    tags: ['game'],
  } as const;
  const api = [
    definePublicRoute({
      ...signedIn,
      method: 'get',
      path: '/me',
      operationId: 'me',
      summary: 'The signed-in player and their record',
      responses: { 200: { description: 'The player.' }, 401: { description: 'No valid token.' } },
      handle: ({ req }) => {
        const claims = req.auth?.claims;
        if (claims === undefined) throw new Error('requireAuth did not set req.auth');
        return Promise.resolve({
          status: 200,
          headers: { 'Cache-Control': 'no-store' },
          body: {
            instance: config.instanceId,
            sub: claims.sub,
            sid: claims.sid,
            roles: claims.roles,
            exp: claims.exp,
            record: leaderboard.entry(claims.sub),
          },
        });
      },
    }),
    definePublicRoute({
      ...signedIn,
      method: 'get',
      path: '/leaderboard',
      operationId: 'leaderboard',
      summary: 'The best players',
      responses: {
        200: { description: 'The top players.' },
        401: { description: 'No valid token.' },
      },
      handle: () =>
        Promise.resolve({
          status: 200,
          body: { instance: config.instanceId, players: leaderboard.top(LEADERBOARD_SIZE) },
        }),
    }),
    definePublicRoute({
      ...signedIn,
      method: 'get',
      path: '/rooms/:room',
      operationId: 'room',
      summary: 'One open room',
      responses: {
        200: { description: 'The room.' },
        401: { description: 'No valid token.' },
        404: { description: 'No such open room.' },
      },
      handle: ({ req }) => {
        const parsed = roomName.safeParse(req.params['room']);
        const room = parsed.success ? rooms.get(parsed.data) : undefined;
        if (room === undefined)
          throw new GameError({ code: 'NOT_FOUND', message: 'no such open room' });
        return Promise.resolve({
          status: 200,
          body: { instance: config.instanceId, ...room.snapshot() },
        });
      },
    }),
  ];
  return [
    ...api,
    ...systemRoutes(api, {
      metrics: deps.metrics.registry,
      readiness: () => Promise.resolve(readiness(config, verifier)),
      readinessSchema: readinessResponse,
      readinessDescription:
        'The verifier decides: 200 once it has replayed the revocation topic and, when it fails ' +
        'closed, while it is not stale; until then every token would be refused.',
      health: () => ({ status: 'ok', instance: config.instanceId }),
      openApi: {
        info: {
          title: 'revocation-fabric game-service',
          version: '0.1.0',
          description: 'The demo game: the signed-in player, the leaderboard and open rooms.',
        },
        errorCodes: GAME_ERROR_CODES,
        securitySchemes: bearer,
      },
    }),
  ];
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
  return createHttpApp<never>({
    logger: deps.logger,
    httpDuration: deps.metrics.httpDuration,
    routes: gameRoutes(deps),
  });
}
