import { errors } from 'jose';
import {
  ClaimInvalidError,
  JwksUnavailableError,
  SignatureInvalidError,
  TokenExpiredError,
  TokenMalformedError,
  TokenNotYetValidError,
  VerifierError,
} from '../errors.js';

function isJoseError(
  error: unknown,
): error is errors.JOSEError & { claim?: unknown; reason?: unknown } {
  return error instanceof errors.JOSEError;
}

/**
 * Maps a jose error to a {@link VerifierError} by jose's stable `code`.
 *
 * `ERR_JOSE_ALG_NOT_ALLOWED` becomes SIGNATURE_INVALID: a token signed with an algorithm the
 * verifier does not accept cannot be authenticated, which is what that code says (RFC 6750
 * `invalid_token` either way). Errors that are not jose's are returned as they are: they are
 * bugs, not verdicts on the token.
 */
export function fromJoseError(error: unknown): unknown {
  if (error instanceof VerifierError || !isJoseError(error)) return error;
  const cause = error;
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return new TokenExpiredError({ message: 'token has expired', cause });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const claim = typeof error.claim === 'string' ? error.claim : undefined;
      if (error.reason === 'check_failed' && (claim === 'nbf' || claim === 'iat')) {
        return new TokenNotYetValidError({
          message: `token is not valid yet ("${claim}" is in the future)`,
          cause,
        });
      }
      return new ClaimInvalidError({ message: error.message, claim, cause });
    }
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new SignatureInvalidError({ message: 'signature verification failed', cause });
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new SignatureInvalidError({
        message: 'no key in the key set matches the token',
        cause,
      });
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new SignatureInvalidError({
        message: 'several keys match the token and none verifies it',
        cause,
      });
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new SignatureInvalidError({ message: 'token algorithm is not allowed', cause });
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
      return new SignatureInvalidError({
        message: `token cannot be verified: ${error.message}`,
        cause,
      });
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return new JwksUnavailableError({ message: `key set unavailable: ${error.message}`, cause });
    default:
      // ERR_JWS_INVALID, ERR_JWT_INVALID and anything jose adds later concern the token's form.
      return new TokenMalformedError({ message: `token is malformed: ${error.message}`, cause });
  }
}

/**
 * Classifies a failure to obtain a key from a remote key set: jose's verdicts on the token
 * (no matching key, …) pass through; everything else (network errors, timeouts, a bad
 * response) means the key set is unavailable, which is this instance's problem (503), not the
 * token's (401).
 */
export function fromKeySetError(error: unknown): unknown {
  if (
    isJoseError(error) &&
    error.code !== 'ERR_JWKS_TIMEOUT' &&
    error.code !== 'ERR_JWKS_INVALID'
  ) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new JwksUnavailableError({ message: `key set unavailable: ${message}`, cause: error });
}
