/**
 * How the HTTP API answers what it will not serve: every error is protocol's one error body,
 * `{ error: { code, message, requestId } }`, with the status `GAME_HTTP_STATUS` gives its code. A
 * client's mistake that express itself detects (a malformed percent-escape, …) is a 400 like
 * any other bad input; only a real failure takes the 500 path.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '@revocation-fabric/protocol';
import { GameError } from '../game/errors.js';
import { clientMistakeOf, requestIdOf } from '@revocation-fabric/service-runtime';

/** An incoming `X-Request-Id` worth echoing; anything else is replaced by a fresh id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * pino-http's `genReqId`: the caller's `X-Request-Id` when well-formed, else a fresh UUID,
 * echoed in the answer's `X-Request-Id` and in every error body.
 *
 * @example
 * ```ts
 * app.use(pinoHttp({ logger, genReqId: requestId }));
 * ```
 */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * A client mistake express or its router detected (a malformed percent-escape in `/rooms/%ZZ`,
 * a body that is not JSON…): answered 400 `INVALID_REQUEST` (404 for not found), never the 500
 * path. The classification is the shell's, shared by every service (service-runtime).
 */
function clientError(error: unknown): GameError | undefined {
  const mistake = clientMistakeOf(error);
  if (mistake === undefined) return undefined;
  if (mistake === 'not-found') return new GameError({ code: 'NOT_FOUND' });
  return new GameError({ code: 'INVALID_REQUEST', message: 'malformed request' });
}

/**
 * The last middleware: no route matched.
 *
 * @example
 * ```ts
 * app.use(answerNotFound);
 * ```
 */
export function answerNotFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new GameError({ code: 'NOT_FOUND', message: 'no such route' }));
}

/**
 * The error handler (express knows it by its four parameters). A real failure is attached to
 * the response as `res.err`, so the request log's one line for it is an error with the
 * failure's own stack; the client sees only `INTERNAL_ERROR`.
 *
 * @example
 * ```ts
 * app.use(answerError);
 * ```
 */
export function answerError(
  error: unknown,
  req: Request,
  res: Response,
  _next: NextFunction,
): void {
  const known = error instanceof GameError ? error : clientError(error);
  if (known === undefined) res.err = error instanceof Error ? error : new Error(String(error));
  const answer = known ?? new GameError({ code: 'INTERNAL_ERROR' });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .status(answer.status)
    .json(errorBody(answer.code, answer.message, { requestId: requestIdOf(req) }));
}
