/**
 * The one shape of every error the fabric's packages and services throw on purpose: a stable
 * string `code` to switch on and a human `message`. Each package narrows `Code` to its own union
 * and adds one subclass per failure, as jose does.
 */

/** Options every {@link CodedError} constructor takes. */
export interface CodedErrorOptions {
  /** Replaces the default message of the subclass. */
  readonly message?: string | undefined;
  /** The underlying error, kept as `cause`. */
  readonly cause?: unknown;
}

/**
 * Base class of the fabric's errors.
 *
 * @example
 * ```ts
 * class TokenRevokedError extends CodedError<'TOKEN_REVOKED'> {
 *   override readonly code = 'TOKEN_REVOKED';
 *   constructor(options: CodedErrorOptions = {}) {
 *     super(options.message ?? 'token has been revoked', options);
 *   }
 * }
 * ```
 */
export abstract class CodedError<Code extends string = string> extends Error {
  /** Stable machine-readable code, UPPER_SNAKE_CASE. */
  abstract readonly code: Code;

  protected constructor(message: string, options: CodedErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}
