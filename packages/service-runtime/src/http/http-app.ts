/**
 * The HTTP shell every service runs its routes in: request ids (the caller's `X-Request-Id`
 * when well-formed, else a fresh one, echoed in every answer and error body), one request log
 * line per request, a duration histogram by route template, JSON bodies, validation of params
 * and bodies against each route's schemas, 404, 405 with `Allow`, and protocol's one error body
 * for every refusal — a client's mistake (a malformed percent-escape, a body that is not JSON, one
 * over the limit) is a 4xx, never the 500 path, and a 500 never carries internals. With an
 * OpenTelemetry SDK registered, each request is a server span (server-span.ts).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { z } from 'zod';
import { errorBody } from '@revocation-fabric/protocol';
import type { ErrorFieldIssue } from '@revocation-fabric/protocol';
import { clientMistakeOf } from '../client-mistake.js';
import { requestIdOf, requestLogOptions } from '../request-log.js';
import { HttpError, shellError } from './http-error.js';
import type { RequestFacts, Route, RouteResult } from './route.js';
import { inRequestContext, traceRequests } from './server-span.js';

/** The duration histogram the shell observes (a prom-client `Histogram` fits). */
export interface HttpDurationMetric {
  observe(labels: { method: string; route: string; status: string }, seconds: number): void;
}

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions<Caller> {
  readonly logger: Logger;
  readonly httpDuration: HttpDurationMetric;
  readonly routes: readonly Route<Caller>[];
  /**
   * Authenticates a request for a route whose `auth` is not `'none'`; throws an
   * {@link HttpError} (401, 403) to refuse. Required when such a route exists.
   */
  readonly authenticate?: ((auth: string, req: Request) => Promise<Caller>) | undefined;
  /** Express's `trust proxy` (which `X-Forwarded-For` hops decide `clientAddress`). Default false. */
  readonly trustProxy?: boolean | number | string | undefined;
  /** Largest JSON body, bytes. Default 16 KiB. */
  readonly bodyLimitBytes?: number | undefined;
}

/** An incoming `X-Request-Id` worth echoing; anything else is replaced by a fresh id. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const JSON_TYPES = ['application/json', 'application/*+json'];

function fieldIssues(error: z.ZodError, location: string): ErrorFieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parseOrThrow(schema: z.ZodType, value: unknown, location: string): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw shellError('INVALID_REQUEST', `invalid ${location}`, {
    fields: fieldIssues(result.error, location),
  });
}

function requestFacts(req: Request): RequestFacts {
  const userAgent = req.headers['user-agent'];
  return {
    clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    requestId: requestIdOf(req),
    headers: req.headers,
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function send(res: Response, result: RouteResult): void {
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) res.end();
  else if (typeof result.body === 'string') res.send(result.body);
  else res.json(result.body);
}

/** The answer to a client mistake detected below the routes, if `error` is one. */
function clientError(error: unknown): HttpError | undefined {
  switch (clientMistakeOf(error)) {
    case undefined:
      return undefined;
    case 'payload-too-large':
      return shellError('PAYLOAD_TOO_LARGE', 'the body is larger than the limit');
    case 'body-not-json':
      return shellError('INVALID_REQUEST', 'the body is not valid JSON', {
        fields: [{ path: 'body', message: 'not valid JSON' }],
      });
    case 'unsupported-media-type':
      return shellError('UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding or charset');
    case 'not-found':
      return shellError('NOT_FOUND', 'no such resource');
    case 'malformed-request':
      return shellError('INVALID_REQUEST', 'malformed request');
  }
}

function routeHandler<Caller>(options: HttpAppOptions<Caller>, route: Route<Caller>) {
  return async (req: Request, res: Response): Promise<void> => {
    let caller: Caller | undefined;
    if (route.auth !== 'none') {
      if (options.authenticate === undefined)
        throw new Error(`route ${route.operationId} needs authentication but the app has none`);
      caller = await options.authenticate(route.auth, req);
    }
    const params =
      route.params === undefined ? req.params : parseOrThrow(route.params, req.params, 'params');
    let body: unknown = req.body;
    if (route.body !== undefined) {
      if (hasBody(req) && !req.is(JSON_TYPES))
        throw shellError('UNSUPPORTED_MEDIA_TYPE', 'the body must be application/json');
      body = parseOrThrow(route.body, req.body, 'body');
    }
    const invoke = () => route.invoke({ params, body, caller, request: requestFacts(req), req });
    send(res, await inRequestContext(req, invoke));
  };
}

function routeErrors<Caller>(route: Route<Caller>) {
  const answer = route.answerError;
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const result = answer?.(error, req);
    if (result === undefined) next(error);
    else send(res, result);
  };
}

/**
 * The last middleware: answers an error with protocol's error body. A real failure is attached
 * to the response as `res.err`, so the request log's one line for it is an error with the
 * failure's own stack; the client sees only `INTERNAL_ERROR`.
 */
function answerError(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const known = error instanceof HttpError ? error : clientError(error);
  if (known === undefined) res.err = error instanceof Error ? error : new Error(String(error));
  const answer = known ?? shellError('INTERNAL_ERROR', 'internal error');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.json(
    errorBody(answer.code, answer.message, { requestId: requestIdOf(req), fields: answer.fields }),
  );
}

/**
 * Builds the express app of a route table.
 *
 * @example
 * ```ts
 * const app = createHttpApp({ logger, httpDuration: metrics.httpDuration, routes });
 * const url = await listen(createServer(app), { host: '127.0.0.1', port: 0 });
 * ```
 */
export function createHttpApp<Caller>(options: HttpAppOptions<Caller>): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(
    pinoHttp<IncomingMessage, ServerResponse>({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
            ? incoming
            : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Refusals (4xx, 503 not ready) at info without a stack; real failures at error.
      ...requestLogOptions,
    }),
  );
  app.use(traceRequests);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      options.httpDuration.observe(
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
  // JSON is parsed for the routes that declare a JSON body, and only for them: a route reading
  // another media type (a form, a bare JWT) sees its body untouched and refuses it in its words.
  const json = express.json({
    limit: options.bodyLimitBytes ?? 16_384,
    type: JSON_TYPES,
    strict: true,
  });

  const methodsByPath = new Map<string, Set<string>>();
  for (const route of options.routes) {
    app[route.method](
      route.path,
      ...(route.body === undefined ? [] : [json]),
      ...(route.before ?? []),
      routeHandler(options, route),
      routeErrors(route),
    );
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].sort().join(', ');
    app.all(path, (_req: Request, _res: Response, next: NextFunction) => {
      next(
        shellError('METHOD_NOT_ALLOWED', 'method not allowed on this resource', {
          headers: { Allow: allow },
        }),
      );
    });
  }
  app.use((_req: Request, _res: Response, next: NextFunction) => {
    next(shellError('NOT_FOUND', 'no such resource'));
  });
  app.use(answerError);
  return app;
}
