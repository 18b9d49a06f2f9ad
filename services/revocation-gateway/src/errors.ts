/**
 * The gateway's own error vocabulary, for every answer that is not a signal endpoint's (those
 * answer in their protocol's words, see signals/refusal.ts): protocol's one error body with an
 * UPPER_SNAKE_CASE code, its status from one table the compiler checks.
 */
import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions } from '@revocation-fabric/protocol';

/** Every code a client can receive in `{ error: { code } }`. */
export type GatewayErrorCode =
  'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'INVALID_REQUEST' | 'INTERNAL_ERROR';

/** HTTP status of each code. */
export const HTTP_STATUS: Readonly<Record<GatewayErrorCode, number>> = Object.freeze({
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INVALID_REQUEST: 400,
  INTERNAL_ERROR: 500,
});

/** Every code, in table order. */
export const ERROR_CODES = Object.freeze(Object.keys(HTTP_STATUS) as GatewayErrorCode[]);

/** Options of {@link GatewayError}. */
export interface GatewayErrorOptions extends CodedErrorOptions {
  readonly code: GatewayErrorCode;
  readonly message: string;
}

/**
 * An error answered with the fabric's error body.
 *
 * @example
 * ```ts
 * throw new GatewayError({ code: 'NOT_FOUND', message: 'no such resource' });
 * ```
 */
export class GatewayError extends CodedError<GatewayErrorCode> {
  override readonly code: GatewayErrorCode;
  constructor(options: GatewayErrorOptions) {
    super(options.message, options);
    this.code = options.code;
  }
  /** The HTTP status of this error's code. */
  get status(): number {
    return HTTP_STATUS[this.code];
  }
}

export { ConfigError } from '@revocation-fabric/service-runtime';
