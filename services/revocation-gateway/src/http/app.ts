/**
 * The express application: request ids and logs, the two signal routes, the system routes,
 * and the fabric's error body for everything else (404, 405, 500 — never a stack or an
 * internal message).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { errorBody } from '@revocation-fabric/protocol';
import {
  clientMistakeOf,
  requestIdOf,
  requestLogOptions,
} from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';
import type { ProviderRuntime } from '../providers.js';
import { BACKCHANNEL_LOGOUT_PATH, mountBackchannelLogout } from './routes/backchannel-logout.js';
import { SSF_PUSH_PATH, mountSsfPush } from './routes/ssf-push.js';
import { mountSystemRoutes } from './routes/system-routes.js';
import type { SystemRouteDeps } from './routes/system-routes.js';

/** Every path the app serves, with its one method: the OpenAPI test checks each is documented. */
export const SERVED_PATHS: ReadonlyArray<readonly [string, 'get' | 'post']> = [
  [BACKCHANNEL_LOGOUT_PATH, 'post'],
  [SSF_PUSH_PATH, 'post'],
  ['/healthz', 'get'],
  ['/readyz', 'get'],
  ['/metrics', 'get'],
  ['/openapi.json', 'get'],
];

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A client mistake express detected below the routes (a malformed percent-escape such as
 * `/backchannel-logout/%ZZ`, a malformed body): 400 (404 for not found), never the 500 path. The
 * classification is the shell's, shared by every service (service-runtime's `clientMistakeOf`).
 */
function clientError(err: unknown): GatewayError | undefined {
  const mistake = clientMistakeOf(err);
  if (mistake === undefined) return undefined;
  if (mistake === 'not-found')
    return new GatewayError({ code: 'NOT_FOUND', message: 'no such resource' });
  return new GatewayError({ code: 'INVALID_REQUEST', message: 'malformed request' });
}

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * const app = createApp(ctx, providers, deps);
 * app.listen(3300);
 * ```
 */
export function createApp(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
  deps: SystemRouteDeps,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp<IncomingMessage, ServerResponse>({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      ...requestLogOptions,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      ctx.metrics.httpDuration.observe(
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

  mountBackchannelLogout(app, ctx, providers);
  mountSsfPush(app, ctx, providers);
  mountSystemRoutes(app, ctx, deps);
  for (const [path, method] of SERVED_PATHS) {
    const allow = method === 'get' ? 'GET, HEAD' : 'POST';
    app.all(path, (_req: Request, res: Response, next: NextFunction) => {
      res.setHeader('Allow', allow);
      next(
        new GatewayError({
          code: 'METHOD_NOT_ALLOWED',
          message: 'method not allowed on this resource',
        }),
      );
    });
  }
  app.use((_req: Request, _res: Response, next: NextFunction) => {
    next(new GatewayError({ code: 'NOT_FOUND', message: 'no such resource' }));
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const known = err instanceof GatewayError ? err : clientError(err);
    if (known === undefined) res.err = err instanceof Error ? err : new Error(String(err));
    const error = known ?? new GatewayError({ code: 'INTERNAL_ERROR', message: 'internal error' });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res
      .status(error.status)
      .json(errorBody(error.code, error.message, { requestId: requestIdOf(req) }));
  });
  return app;
}
