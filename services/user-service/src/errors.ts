/**
 * The service's error vocabulary. Every failure a client can see has a stable string `code`, and
 * {@link HTTP_STATUS} maps each code to its status in one table the compiler checks, so a new
 * code cannot forget its status.
 */

/** Every error code a client can receive in `{ error: { code } }`. */
export type ErrorCode =
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthorized'
  | 'invalid_credentials'
  | 'invalid_refresh_token'
  | 'refresh_token_reused'
  | 'forbidden'
  | 'account_disabled'
  | 'not_found'
  | 'method_not_allowed'
  | 'username_taken'
  | 'conflict'
  | 'login_throttled'
  | 'not_ready'
  | 'internal';

/** HTTP status of each error code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  refresh_token_reused: 401,
  forbidden: 403,
  account_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  username_taken: 409,
  conflict: 409,
  login_throttled: 429,
  not_ready: 503,
  internal: 500,
};

/** One offending field of a request, as reported in a 400 answer. */
export interface FieldIssue {
  /** Where the field is: `body.password`, `params.sid`, `headers.authorization`. */
  readonly path: string;
  readonly message: string;
}

/**
 * An error the client is meant to see. Its message is shown verbatim, so it never carries
 * internals; anything else thrown inside a handler becomes a generic 500.
 */
export class UserServiceError extends Error {
  readonly code: ErrorCode;
  readonly fields: readonly FieldIssue[] | undefined;
  /** Extra response headers, e.g. `Retry-After` for throttling or `Allow` for 405. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fields?: readonly FieldIssue[];
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserServiceError';
    this.code = code;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

// The configuration error is shared with the game-service, whose entry point reports it the same
// way (exit code 78); re-exported so this module still lists every error the service throws.
export { ConfigError } from '@revocation-fabric/service-runtime';
