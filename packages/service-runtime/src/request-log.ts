/**
 * How a service's request log (pino-http) grades an answer. A refusal the service meant to give
 * — any 4xx, and a 503 while it is not ready — is not an error: it is logged at `info` without
 * a stack. Only a real failure (a 5xx other than 503, or an error attached to the response as
 * `res.err`) is logged at `error` with its stack. pino-http attaches a made-up
 * `failed with status code …` error to every 5xx; for a 503 that is only noise, so it is dropped.
 */

/** The parts of a response the grading reads. */
export interface AnsweredResponse {
  readonly statusCode: number;
  /** Set by an error handler to the error behind a real failure. */
  readonly err?: unknown;
}

/** Log level of one finished request. */
export type RequestLogLevel = 'error' | 'info' | 'debug';

/** 503 is how the services say "not ready / not serving": expected, retried by the caller. */
const EXPECTED_UNAVAILABLE = 503;

/** Whether an answer is a refusal the service meant to give, not a failure. */
function isExpected(res: AnsweredResponse, error: unknown): boolean {
  return (
    error === undefined &&
    res.err === undefined &&
    (res.statusCode < 500 || res.statusCode === EXPECTED_UNAVAILABLE)
  );
}

/**
 * The level of a finished request: `error` for real failures, `info` for refusals (4xx, 503),
 * `debug` for successes.
 *
 * @example
 * ```ts
 * pinoHttp({ logger, ...requestLogOptions });
 * requestLogLevel({ statusCode: 503 }); // 'info'
 * ```
 */
export function requestLogLevel(res: AnsweredResponse, error?: unknown): RequestLogLevel {
  if (!isExpected(res, error)) return 'error';
  return res.statusCode >= 400 ? 'info' : 'debug';
}

/**
 * pino-http options that apply {@link requestLogLevel} and leave the stack out of refusals.
 *
 * @example
 * ```ts
 * app.use(pinoHttp({ logger, genReqId, ...requestLogOptions }));
 * ```
 */
export const requestLogOptions = {
  customLogLevel: (_req: unknown, res: AnsweredResponse, error?: Error): RequestLogLevel =>
    requestLogLevel(res, error),
  customErrorMessage: (_req: unknown, res: AnsweredResponse): string =>
    isExpected(res, undefined) ? 'request refused' : 'request failed',
  customErrorObject: (
    _req: unknown,
    res: AnsweredResponse,
    _error: Error,
    val: Record<string, unknown>,
  ): Record<string, unknown> => {
    if (!isExpected(res, undefined)) return val;
    const { err: _dropped, ...rest } = val;
    return rest;
  },
} as const;

/**
 * The request id pino-http gave `req` (both services generate string ids; pino-http types the
 * id as `string | number | object`), as the string that goes into error bodies and logs.
 *
 * @example
 * ```ts
 * res.json(errorBody(code, message, { requestId: requestIdOf(req) }));
 * ```
 */
export function requestIdOf(req: { readonly id?: unknown }): string {
  const { id } = req;
  if (typeof id === 'string') return id;
  return typeof id === 'number' ? String(id) : '';
}
