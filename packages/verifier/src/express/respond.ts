import { errorBody } from '@revocation-fabric/protocol';
import type { Response } from 'express';
import {
  InsufficientScopeError,
  TokenMalformedError,
  VERIFIER_ERROR_RESPONSES,
} from '../errors.js';
import type { BearerErrorCode, VerifierError } from '../errors.js';

/** How a response to a refused request is shaped. */
export interface ErrorResponseOptions {
  /** `realm` of the `WWW-Authenticate` challenge; omitted when undefined. */
  readonly realm: string | undefined;
  /** `Retry-After` sent with 503, in seconds. */
  readonly retryAfterSeconds: number;
}

/** RFC 6750 §3: attribute values are quoted-strings limited to %x20-21 / %x23-5B / %x5D-7E. */
function quoted(value: string): string {
  return `"${value.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, ' ')}"`;
}

function challenge(
  error: VerifierError,
  bearerError: BearerErrorCode | 'bare',
  realm: string | undefined,
): string {
  const params: string[] = [];
  if (realm !== undefined) params.push(`realm=${quoted(realm)}`);
  if (bearerError !== 'bare') {
    params.push(`error=${quoted(bearerError)}`, `error_description=${quoted(error.message)}`);
  }
  if (error instanceof InsufficientScopeError && error.requirement === 'scope') {
    params.push(`scope=${quoted(error.required.join(' '))}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/**
 * Answers a refused request: status and challenge from {@link VERIFIER_ERROR_RESPONSES} (an
 * RFC 6750 challenge for 401/403), `Retry-After` for 503, and the fabric's one error body
 * `{ error: { code, message } }` (protocol's `errorBody`) as JSON.
 */
export function sendVerifierError(
  res: Response,
  error: VerifierError,
  options: ErrorResponseOptions,
): void {
  const { status } = VERIFIER_ERROR_RESPONSES[error.code];
  let bearerError = VERIFIER_ERROR_RESPONSES[error.code].challenge;
  if (error instanceof TokenMalformedError && error.part === 'request')
    bearerError = 'invalid_request';
  if (bearerError !== 'none')
    res.set('WWW-Authenticate', challenge(error, bearerError, options.realm));
  if (status === 503) res.set('Retry-After', String(options.retryAfterSeconds));
  res.set('Cache-Control', 'no-store');
  res.status(status).json(errorBody(error.code, error.message));
}
