/**
 * How the API answers what it will not serve: every error is protocol's one error body,
 * `{ error: { code, message, requestId, fields? } }`, with the status `HTTP_STATUS` gives its
 * code and the error's extra headers (`Allow`, `Retry-After`, `WWW-Authenticate`). A client's
 * mistake that body-parser or express detects (bad JSON, a malformed percent-escape, …) is
 * answered like any other bad input; only a real failure takes the 500 path.
 */
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '@revocation-fabric/protocol';
import { UserServiceError } from '../errors.js';
import { clientMistakeOf, requestIdOf } from '@revocation-fabric/service-runtime';

/** The answer to a client mistake detected below the routes, if `err` is one. */
function clientError(err: unknown): UserServiceError | undefined {
  switch (clientMistakeOf(err)) {
    case undefined:
      return undefined;
    case 'payload-too-large':
      return new UserServiceError({
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the body is larger than the limit',
      });
    case 'body-not-json':
      return new UserServiceError({
        code: 'INVALID_REQUEST',
        message: 'the body is not valid JSON',
        fields: [{ path: 'body', message: 'not valid JSON' }],
      });
    case 'unsupported-media-type':
      return new UserServiceError({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'unsupported body encoding or charset',
      });
    case 'not-found':
      return new UserServiceError({ code: 'NOT_FOUND', message: 'no such resource' });
    case 'malformed-request':
      return new UserServiceError({ code: 'INVALID_REQUEST', message: 'malformed request' });
  }
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
  next(new UserServiceError({ code: 'NOT_FOUND', message: 'no such resource' }));
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
export function answerError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const known = err instanceof UserServiceError ? err : clientError(err);
  if (known === undefined) res.err = err instanceof Error ? err : new Error(String(err));
  const error = known ?? new UserServiceError({ code: 'INTERNAL_ERROR' });
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(error.status);
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.json(
    errorBody(error.code, error.message, {
      requestId: requestIdOf(req),
      fields: error.fields,
    }),
  );
}
