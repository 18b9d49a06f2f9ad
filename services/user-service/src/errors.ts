/**
 * The service's error vocabulary. Every failure a client can see has a stable UPPER_SNAKE_CASE
 * `code` (the fabric's one casing), and {@link HTTP_STATUS} maps each code to its status in one
 * table the compiler checks, so a new code cannot forget its status. The answer's body is
 * protocol's one error body, `{ error: { code, message, requestId, fields? } }`.
 */
import type { CodedErrorOptions, ErrorFieldIssue } from '@revocation-fabric/protocol';
import { HttpError } from '@revocation-fabric/service-runtime';
import type { ShellErrorCode } from '@revocation-fabric/service-runtime';

/** Every error code a client can receive in `{ error: { code } }` (the shell's own included). */
export type ErrorCode =
  | ShellErrorCode
  | 'UNAUTHORIZED'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_REFRESH_TOKEN'
  | 'REFRESH_TOKEN_REUSED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'ACCOUNT_DISABLED'
  | 'USERNAME_TAKEN'
  | 'CONFLICT'
  | 'LOGIN_THROTTLED'
  | 'NOT_READY';

/** HTTP status of each error code. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.freeze({
  INVALID_REQUEST: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  USERNAME_TAKEN: 409,
  CONFLICT: 409,
  LOGIN_THROTTLED: 429,
  NOT_READY: 503,
  INTERNAL_ERROR: 500,
});

/** Every code, in table order: the OpenAPI document's enum. */
export const ERROR_CODES = Object.freeze(Object.keys(HTTP_STATUS)) as readonly [
  ErrorCode,
  ...ErrorCode[],
];

/** The message of an error thrown without one. */
const DEFAULT_MESSAGE: Readonly<Record<ErrorCode, string>> = {
  INVALID_REQUEST: 'invalid request',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported media type',
  PAYLOAD_TOO_LARGE: 'the body is larger than the limit',
  UNAUTHORIZED: 'authentication required',
  INVALID_CREDENTIALS: 'invalid username or password',
  INVALID_REFRESH_TOKEN: 'refresh token is invalid or expired',
  REFRESH_TOKEN_REUSED: 'refresh token was already used',
  SESSION_EXPIRED: 'the session reached its maximum lifetime; sign in again',
  FORBIDDEN: 'forbidden',
  ACCOUNT_DISABLED: 'this account is disabled',
  NOT_FOUND: 'no such resource',
  METHOD_NOT_ALLOWED: 'method not allowed on this resource',
  USERNAME_TAKEN: 'this username is already taken',
  CONFLICT: 'conflict',
  LOGIN_THROTTLED: 'too many failed logins; try again later',
  NOT_READY: 'not ready; retry shortly',
  INTERNAL_ERROR: 'internal error',
};

/** One offending field of a request, as reported in a 400 answer. */
export type FieldIssue = ErrorFieldIssue;

/** Options of {@link UserServiceError}. */
export interface UserServiceErrorOptions extends CodedErrorOptions {
  /** What went wrong; decides the status through {@link HTTP_STATUS}. */
  readonly code: ErrorCode;
  /** Shown to the client verbatim, so never internals. Default: a generic line per code. */
  readonly message?: string | undefined;
  /** For 400 answers: every offending field. */
  readonly fields?: readonly FieldIssue[] | undefined;
  /** Extra response headers, e.g. `Retry-After` for throttling or `Allow` for 405. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * An error the client is meant to see. Its message is shown verbatim, so it never carries
 * internals; anything else thrown inside a handler becomes a generic 500 `INTERNAL_ERROR`.
 *
 * One class rather than one subclass per code: every failure here is an HTTP answer, fully
 * described by its code (status, default message) plus optional fields and headers.
 *
 * @example
 * ```ts
 * throw new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
 * throw new UserServiceError({
 *   code: 'LOGIN_THROTTLED',
 *   headers: { 'Retry-After': '30' },
 * });
 * ```
 */
export class UserServiceError extends HttpError<ErrorCode> {
  constructor(options: UserServiceErrorOptions) {
    super({
      ...options,
      status: HTTP_STATUS[options.code],
      message: options.message ?? DEFAULT_MESSAGE[options.code],
    });
  }
}

// The configuration error is shared with the game-service, whose entry point reports it the same
// way (exit code 78); re-exported so this module still lists every error the service throws.
export { ConfigError } from '@revocation-fabric/service-runtime';
