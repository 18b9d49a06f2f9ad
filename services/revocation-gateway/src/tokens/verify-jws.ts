/**
 * The signature half of every signal check: jose's `jwtVerify` against the provider's keys with
 * the pinned algorithms, `iss`, `aud` and `exp`, and its failures translated into the gateway's
 * refusal codes. The claims each protocol adds are checked by its own verifier.
 */
import { decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey, ProtectedHeaderParameters } from 'jose';
import { refuse } from '../signals/refusal.js';
import type { SignalRefusedError } from '../signals/refusal.js';

/** What {@link verifyJws} checks a token against. */
export interface JwsExpectations {
  /** The provider's keys (a jose key resolver; remote JWKS in production). */
  readonly keys: JWTVerifyGetKey;
  readonly algorithms: readonly string[];
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** The only `typ` header values accepted, lower case without `application/`; `undefined` in the list accepts a token without `typ`. */
  readonly types: readonly (string | undefined)[];
  /** ms since the epoch. */
  readonly now: number;
  readonly clockToleranceMs: number;
  /** Claims that must be present (jose's `requiredClaims`), e.g. `exp`. */
  readonly requiredClaims?: readonly string[];
}

/** A verified token. */
export interface VerifiedJws {
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
}

/** `typ` values compare case-insensitively, with or without `application/` (RFC 7515 §4.1.9). */
function normalizedType(typ: string | undefined): string | undefined {
  if (typ === undefined) return undefined;
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function fromJose(error: unknown): SignalRefusedError {
  const code = (error as { code?: unknown }).code;
  const claim = (error as { claim?: unknown }).claim;
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return refuse('ALGORITHM_NOT_ALLOWED', 'the signing algorithm is not allowed', error);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return refuse('SIGNATURE_INVALID', 'the signature does not verify', error);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return refuse('KEY_NOT_FOUND', 'no single key of the provider matches the token', error);
    case 'ERR_JWT_EXPIRED':
      return refuse('EXPIRED', 'the token has expired', error);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'exp') return refuse('EXPIRATION_MISSING', 'the token has no valid exp', error);
      if (claim === 'iss') return refuse('ISSUER_MISMATCH', 'unexpected iss', error);
      if (claim === 'aud')
        return refuse('AUDIENCE_MISMATCH', 'aud does not name this receiver', error);
      return refuse('MALFORMED_TOKEN', `invalid ${String(claim)} claim`, error);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return refuse('MALFORMED_TOKEN', 'the token is not a valid signed JWT', error);
    default:
      // The keys could not be fetched (network, timeout, a bad JWKS document): the token may
      // be valid, so the sender should try again rather than drop it.
      return refuse(
        'KEY_SOURCE_UNAVAILABLE',
        'the provider’s keys are unavailable; retry later',
        error,
      );
  }
}

/**
 * Verifies a compact JWS and the registered claims jose checks.
 *
 * @example
 * ```ts
 * const { payload } = await verifyJws(token, { keys, algorithms: ['RS256'], issuer, audience,
 *   types: ['logout+jwt', undefined], now: Date.now(), clockToleranceMs: 5000 });
 * ```
 * @throws {@link SignalRefusedError}
 */
export async function verifyJws(token: string, expect: JwsExpectations): Promise<VerifiedJws> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    throw refuse('MALFORMED_TOKEN', 'the token is not a compact JWS', error);
  }
  if (token.split('.').length !== 3) {
    throw refuse('MALFORMED_TOKEN', 'the token is not a compact JWS');
  }
  if (typeof header.alg !== 'string' || !expect.algorithms.includes(header.alg)) {
    throw refuse('ALGORITHM_NOT_ALLOWED', `alg ${String(header.alg)} is not allowed`);
  }
  const type = normalizedType(typeof header.typ === 'string' ? header.typ : undefined);
  if (!expect.types.includes(type)) {
    throw refuse('TYPE_NOT_ALLOWED', `typ ${String(header.typ)} is not accepted here`);
  }
  try {
    const { payload } = await jwtVerify(token, expect.keys, {
      algorithms: [...expect.algorithms],
      issuer: expect.issuer,
      audience: typeof expect.audience === 'string' ? expect.audience : [...expect.audience],
      currentDate: new Date(expect.now),
      clockTolerance: Math.ceil(expect.clockToleranceMs / 1000),
      requiredClaims: [...(expect.requiredClaims ?? [])],
    });
    return { header, payload };
  } catch (error) {
    throw fromJose(error);
  }
}
