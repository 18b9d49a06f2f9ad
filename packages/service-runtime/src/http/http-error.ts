/**
 * The one error a service's HTTP shell answers with: a stable UPPER_SNAKE_CASE `code`, the
 * status that code maps to, a message shown verbatim (so never internals), and for a 400 the
 * offending fields. Each service narrows `Code` to its own vocabulary, which always includes
 * the shell's own codes ({@link SHELL_ERROR_STATUS}).
 */
import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions, ErrorFieldIssue } from '@revocation-fabric/protocol';

/** The codes the shell itself answers with, and their statuses. */
export const SHELL_ERROR_STATUS = Object.freeze({
  INVALID_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
} as const);

/** A code the shell itself answers with. */
export type ShellErrorCode = keyof typeof SHELL_ERROR_STATUS;

/** Options of {@link HttpError}. */
export interface HttpErrorOptions<Code extends string> extends CodedErrorOptions {
  readonly code: Code;
  /** The HTTP status; a service takes it from its code table. */
  readonly status: number;
  /** Shown to the client verbatim. */
  readonly message: string;
  /** For 400 answers: every offending field. */
  readonly fields?: readonly ErrorFieldIssue[] | undefined;
  /** Extra response headers: `Allow`, `Retry-After`, `WWW-Authenticate`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * An error the client is meant to see, answered as protocol's one error body. Anything else a
 * handler throws becomes a generic 500 `INTERNAL_ERROR`.
 *
 * @example
 * ```ts
 * class GameError extends HttpError<GameErrorCode> {
 *   constructor(options: { code: GameErrorCode; message?: string }) {
 *     super({ ...options, status: GAME_HTTP_STATUS[options.code], message: options.message ?? 'refused' });
 *   }
 * }
 * ```
 */
export class HttpError<Code extends string = string> extends CodedError<Code> {
  override readonly code: Code;
  readonly status: number;
  readonly fields: readonly ErrorFieldIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(options: HttpErrorOptions<Code>) {
    super(options.message, options);
    this.code = options.code;
    this.status = options.status;
    this.fields = options.fields;
    this.headers = options.headers ?? {};
  }
}

/**
 * An error with one of the shell's own codes.
 *
 * @example
 * ```ts
 * throw shellError('NOT_FOUND', 'no such resource');
 * ```
 */
export function shellError(
  code: ShellErrorCode,
  message: string,
  extras: Pick<HttpErrorOptions<ShellErrorCode>, 'fields' | 'headers'> = {},
): HttpError<ShellErrorCode> {
  return new HttpError({ code, status: SHELL_ERROR_STATUS[code], message, ...extras });
}
