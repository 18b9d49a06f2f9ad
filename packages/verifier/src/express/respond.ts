import type { Response } from 'express';
import { HTTP_STATUS_BY_CODE, InsufficientScopeError, TokenMalformedError } from '../errors.js';
import type { VerifierError, VerifierErrorCode } from '../errors.js';

/** How a response to a refused request is shaped. */
export interface ErrorResponseOptions {
  /** `realm` of the `WWW-Authenticate` challenge; omitted when undefined. */
  readonly realm: string | undefined;
  /** `Retry-After` sent with 503, in seconds. */
  readonly retryAfterSeconds: number;
}

type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * The RFC 6750 `error` attribute of the challenge, per code. `null`: a challenge without an
 * error attribute (no credentials were presented, §3.1); `undefined`: no challenge at all (the
 * 503s: the credentials may be fine, this instance cannot judge them now).
 */
const BEARER_ERROR_BY_CODE: Readonly<Record<VerifierErrorCode, BearerError | null | undefined>> = {
  TOKEN_MISSING: null,
  TOKEN_MALFORMED: 'invalid_token',
  TOKEN_EXPIRED: 'invalid_token',
  TOKEN_NOT_YET_VALID: 'invalid_token',
  SIGNATURE_INVALID: 'invalid_token',
  CLAIM_INVALID: 'invalid_token',
  TOKEN_REVOKED: 'invalid_token',
  INSUFFICIENT_SCOPE: 'insufficient_scope',
  NOT_READY: undefined,
  STALE: undefined,
  JWKS_UNAVAILABLE: undefined,
};

/** RFC 6750 §3: attribute values are quoted-strings limited to %x20-21 / %x23-5B / %x5D-7E. */
function quoted(value: string): string {
  return `"${value.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ')}"`;
}

function challenge(
  error: VerifierError,
  bearerError: BearerError | null,
  realm: string | undefined,
): string {
  const params: string[] = [];
  if (realm !== undefined) params.push(`realm=${quoted(realm)}`);
  if (bearerError !== null) {
    params.push(`error=${quoted(bearerError)}`, `error_description=${quoted(error.message)}`);
  }
  if (error instanceof InsufficientScopeError && error.requirement === 'scope') {
    params.push(`scope=${quoted(error.required.join(' '))}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/**
 * Answers a refused request: status from {@link HTTP_STATUS_BY_CODE}, an RFC 6750 challenge
 * for 401/403, `Retry-After` for 503, and `{ error: code, message }` as JSON.
 */
export function sendVerifierError(
  res: Response,
  error: VerifierError,
  options: ErrorResponseOptions,
): void {
  const status = HTTP_STATUS_BY_CODE[error.code];
  let bearerError = BEARER_ERROR_BY_CODE[error.code];
  if (error instanceof TokenMalformedError && error.part === 'request')
    bearerError = 'invalid_request';
  if (bearerError !== undefined)
    res.set('WWW-Authenticate', challenge(error, bearerError, options.realm));
  if (status === 503) res.set('Retry-After', String(options.retryAfterSeconds));
  res.set('Cache-Control', 'no-store');
  res.status(status).json({ error: error.code, message: error.message });
}
