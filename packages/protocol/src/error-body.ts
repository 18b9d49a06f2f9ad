/**
 * The one JSON body every HTTP error answer of the fabric carries — the user-service, the
 * game-service, the gateway and the verifier's express adapter alike — so a client parses one
 * shape and switches on one vocabulary of codes.
 */

/** One offending field of a request, as reported in a 400 answer. */
export interface ErrorFieldIssue {
  /** Where the field is: `body.password`, `params.sid`, `headers.authorization`. */
  readonly path: string;
  /** What is wrong with it, for humans. */
  readonly message: string;
}

/**
 * `{ "error": { "code": "TOKEN_REVOKED", "message": "…", "requestId": "…" } }`.
 *
 * `code` is UPPER_SNAKE_CASE and stable across releases; `message` is for humans and may change.
 *
 * @example
 * ```ts
 * const body = (await res.json()) as ErrorBody;
 * if (body.error.code === 'TOKEN_EXPIRED') await refresh();
 * ```
 */
export interface ErrorBody<Code extends string = string> {
  readonly error: {
    /** Stable machine-readable code, UPPER_SNAKE_CASE. */
    readonly code: Code;
    /** Human-readable explanation; never carries internals. */
    readonly message: string;
    /** The request id the service logged this answer under, when it has one. */
    readonly requestId?: string;
    /** For 400 answers: every offending field. */
    readonly fields?: readonly ErrorFieldIssue[];
  };
}

/** Optional parts of an {@link ErrorBody}. */
export interface ErrorBodyExtras {
  readonly requestId?: string | undefined;
  readonly fields?: readonly ErrorFieldIssue[] | undefined;
}

/**
 * Builds an {@link ErrorBody}, leaving out the optional members that are absent.
 *
 * @example
 * ```ts
 * res.status(401).json(errorBody('TOKEN_REVOKED', 'token has been revoked', { requestId }));
 * ```
 */
export function errorBody<Code extends string>(
  code: Code,
  message: string,
  extras: ErrorBodyExtras = {},
): ErrorBody<Code> {
  return {
    error: {
      code,
      message,
      ...(extras.requestId === undefined ? {} : { requestId: extras.requestId }),
      ...(extras.fields === undefined || extras.fields.length === 0
        ? {}
        : { fields: extras.fields }),
    },
  };
}
