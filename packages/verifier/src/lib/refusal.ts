/**
 * How an HTTP adapter answers a refused request: status, headers and body, computed once here
 * for every framework, so express and fastify cannot drift apart on a single byte.
 */
import { errorBody } from '@revocation-fabric/protocol';
import type { ErrorBody } from '@revocation-fabric/protocol';
import {
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  TokenMalformedError,
  VERIFIER_ERROR_RESPONSES,
} from '../errors.js';
import type {
  BearerErrorCode,
  VerifierError,
  VerifierErrorCode,
  VerifierErrorResponse,
} from '../errors.js';
import { validateInteger } from './validate.js';

/** How refusals are shaped, checked: see {@link resolveRefusalOptions}. */
export interface RefusalOptions {
  /** `realm` of the `WWW-Authenticate` challenge; omitted when undefined. */
  readonly realm: string | undefined;
  /** `Retry-After` sent with 503, in seconds. */
  readonly retryAfterSeconds: number;
}

/** The answer to one refused request. */
export interface Refusal {
  readonly status: VerifierErrorResponse['status'];
  /** `WWW-Authenticate` (401, 403), `Retry-After` (503), and `Cache-Control: no-store`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The fabric's one error body, `{ error: { code, message, requestId? } }`. */
  readonly body: ErrorBody<VerifierErrorCode>;
}

/** Default `Retry-After` of a 503, in seconds. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** The defaults, for a refusal no adapter option shaped. */
export const DEFAULT_REFUSAL_OPTIONS: RefusalOptions = Object.freeze({
  realm: undefined,
  retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS,
});

/**
 * Checks the adapters' `realm` and `retryAfterSeconds` options, once, where the adapter is
 * created.
 *
 * @throws TypeError naming the option at fault.
 */
export function resolveRefusalOptions(
  options: { readonly realm?: unknown; readonly retryAfterSeconds?: unknown } = {},
): RefusalOptions {
  if (options.realm !== undefined && typeof options.realm !== 'string') {
    throw new TypeError('realm must be a string');
  }
  return Object.freeze({
    realm: options.realm,
    retryAfterSeconds: validateInteger(
      options.retryAfterSeconds,
      DEFAULT_RETRY_AFTER_SECONDS,
      'retryAfterSeconds',
      0,
    ),
  });
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
  // RFC 9470 §3: the age the client must ask the issuer for (OIDC `max_age`). A non-negative
  // integer, so the token form needs no quoting.
  if (error instanceof InsufficientUserAuthenticationError) {
    params.push(`max_age=${error.maxAgeSeconds}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

/**
 * The answer to a refused request: status and challenge from {@link VERIFIER_ERROR_RESPONSES}
 * (an RFC 6750 / RFC 9470 challenge for 401 and 403), `Retry-After` for 503, never cached, and
 * protocol's `errorBody`.
 *
 * @param requestId - the id the application logs this request under, when it has one.
 */
export function refusalOf(
  error: VerifierError,
  options: RefusalOptions,
  requestId?: string,
): Refusal {
  const { status } = VERIFIER_ERROR_RESPONSES[error.code];
  let bearerError = VERIFIER_ERROR_RESPONSES[error.code].challenge;
  if (error instanceof TokenMalformedError && error.part === 'request')
    bearerError = 'invalid_request';
  const headers: Record<string, string> = {};
  if (bearerError !== 'none')
    headers['WWW-Authenticate'] = challenge(error, bearerError, options.realm);
  if (status === 503) headers['Retry-After'] = String(options.retryAfterSeconds);
  headers['Cache-Control'] = 'no-store';
  return { status, headers, body: errorBody(error.code, error.message, { requestId }) };
}
