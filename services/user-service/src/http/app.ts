/**
 * The express application: request ids and logs, validation of every header, param and body
 * against the route's schemas, JSON errors (400 with the offending fields, 404, 405 with
 * `Allow`, 413, 415) and never a stack trace or internal message in an answer.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { pinoHttp } from 'pino-http';
import type { z } from 'zod';
import { requestIdOf, requestLogOptions } from '@revocation-fabric/service-runtime';
import type { ServiceContext } from '../context.js';
import type { FieldIssue } from '../errors.js';
import { UserServiceError } from '../errors.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';
import { authenticateAdmin } from './admin-auth.js';
import { answerError, answerNotFound } from './error-answers.js';
import type { Caller, RequestFacts, Route, RouteResult } from './route.js';
import { bearerHeader, requestIdHeader } from './schemas.js';

/** What the app is built from. */
export interface AppOptions {
  readonly ctx: ServiceContext;
  readonly routes: readonly Route[];
}

function fieldIssues(error: z.ZodError, location: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UserServiceError({
    code: 'INVALID_REQUEST',
    message: `invalid ${location}`,
    fields: fieldIssues(result.error, location),
  });
}

function requestFacts(req: Request): RequestFacts {
  const userAgent = req.headers['user-agent'];
  return {
    clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    requestId: requestIdOf(req),
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const challenge = { 'WWW-Authenticate': 'Bearer' };

async function authenticate(
  options: AppOptions,
  route: Route,
  req: Request,
): Promise<Caller | undefined> {
  if (route.auth === 'none') return undefined;
  const header = req.headers.authorization;
  if (header === undefined) {
    throw new UserServiceError({
      code: 'UNAUTHORIZED',
      message: 'a bearer access token is required',
      headers: challenge,
    });
  }
  const parsed = bearerHeader.safeParse(header);
  if (!parsed.success) {
    throw new UserServiceError({
      code: 'UNAUTHORIZED',
      message: 'malformed Authorization header',
      headers: challenge,
      fields: fieldIssues(parsed.error, 'headers.authorization'),
    });
  }
  const token = parsed.data.slice('Bearer '.length);
  // Every authenticated route, admin included, is checked against the database: a revocation
  // binds here the moment it commits, whatever Kafka is doing (see admin-auth.ts).
  const { claims } =
    route.auth === 'admin'
      ? await authenticateAdmin(options.ctx, token)
      : await verifyAccessToken(options.ctx, token);
  return { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, claims };
}

function send(res: Response, result: RouteResult): void {
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else if (typeof result.body === 'string') res.send(result.body);
  else res.json(result.body);
}

function routeHandler(options: AppOptions, route: Route) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = requestFacts(req);
    const caller = await authenticate(options, route, req);
    const params =
      route.params === undefined ? undefined : parseOrThrow(route.params, req.params, 'params');
    let body: unknown;
    if (route.body !== undefined) {
      if (hasBody(req) && !req.is(['application/json', 'application/*+json'])) {
        throw new UserServiceError({
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'the body must be application/json',
        });
      }
      body = parseOrThrow(route.body, req.body, 'body');
    }
    send(res, await route.invoke({ params, body, caller, request }));
  };
}

/**
 * Builds the express app.
 *
 * @example
 * ```ts
 * const app = createApp({ ctx, routes });
 * app.listen(3000);
 * ```
 */
export function createApp(options: AppOptions): express.Express {
  const { ctx, routes } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.http.trustProxy);

  app.use(
    pinoHttp<IncomingMessage, ServerResponse>({
      logger: ctx.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && requestIdHeader.safeParse(incoming).success
            ? incoming
            : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Refusals (4xx, 503 not ready) at info without a stack; real failures at error.
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

  // Headers every route shares are validated here; route-specific ones (Authorization) per route.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    if (incoming !== undefined && !requestIdHeader.safeParse(incoming).success) {
      next(
        new UserServiceError({
          code: 'INVALID_REQUEST',
          message: 'invalid X-Request-Id header',
          fields: [
            { path: 'headers.x-request-id', message: 'must be 1–128 of A-Z a-z 0-9 . _ : -' },
          ],
        }),
      );
      return;
    }
    next();
  });

  app.use(
    express.json({
      limit: ctx.config.http.bodyLimitBytes,
      type: ['application/json', 'application/*+json'],
      strict: true,
    }),
  );

  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    app[route.method](route.path, routeHandler(options, route));
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort().join(', ');
    app.all(path, (_req: Request, _res: Response, next: NextFunction) => {
      next(
        new UserServiceError({
          code: 'METHOD_NOT_ALLOWED',
          message: 'method not allowed on this resource',
          headers: { Allow: allow },
        }),
      );
    });
  }

  app.use(answerNotFound);
  app.use(answerError);

  return app;
}
