/**
 * The HTTP adapters' one way in: read the request's bearer token, verify it, and remember how
 * the guards behind must answer and which clock they read. Express and fastify both call this;
 * only how they hold a request differs.
 */
import type { VerifiedToken } from '../claims.js';
import type { Verifier } from '../verifier.js';
import { authorizationHeaders, readBearerToken } from './bearer.js';
import { resolveRefusalOptions } from './refusal.js';
import type { RefusalOptions } from './refusal.js';

/** The part of a {@link Verifier} the HTTP adapters use. */
export type HttpVerifier = Pick<Verifier, 'verify' | 'now'>;

/** What an adapter's authentication step settles once and hands to the guards behind it. */
export interface Admission {
  /** How refusals are answered (realm, Retry-After). */
  readonly refusal: RefusalOptions;
  /** The verifier's clock, in ms since the epoch: guards judge time by it (a login's age). */
  readonly now: () => number;
}

/** @throws TypeError when `verifier` is not an {@link HttpVerifier} (a wiring mistake). */
export function assertHttpVerifier(verifier: unknown): asserts verifier is HttpVerifier {
  const candidate = verifier as Partial<HttpVerifier> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.verify !== 'function' ||
    typeof candidate.now !== 'function'
  ) {
    throw new TypeError('verifier must be a Verifier');
  }
}

/**
 * Checks an adapter's response options, once, where the adapter is created.
 *
 * @throws TypeError naming the option at fault.
 */
export function admissionFor(
  verifier: HttpVerifier,
  options?: { readonly realm?: unknown; readonly retryAfterSeconds?: unknown },
): Admission {
  return Object.freeze({
    refusal: resolveRefusalOptions(options),
    now: () => verifier.now(),
  });
}

/**
 * Reads the bearer token of a request (RFC 6750 §2.1, exactly one `Authorization` header) and
 * verifies it. A refusal is a rejected promise, never a throw, so callers have one path for both.
 *
 * @param rawHeaders - the request's flat `rawHeaders`.
 * @returns the verifier's promise itself: a cache hit comes back already settled.
 */
export function authenticateRequest(
  verifier: HttpVerifier,
  rawHeaders: readonly string[],
): Promise<VerifiedToken> {
  let token: string;
  try {
    token = readBearerToken(authorizationHeaders(rawHeaders));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  return verifier.verify(token);
}
