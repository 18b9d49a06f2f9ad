import type { RevocationReason, RuleKind } from '@revocation-fabric/protocol';

/**
 * Stable codes of every way a verification can fail. Switch on `code`; `message` is for humans
 * and may change between releases.
 */
export type VerifierErrorCode =
  | 'TOKEN_MISSING'
  | 'TOKEN_MALFORMED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_NOT_YET_VALID'
  | 'SIGNATURE_INVALID'
  | 'CLAIM_INVALID'
  | 'TOKEN_REVOKED'
  | 'INSUFFICIENT_SCOPE'
  | 'NOT_READY'
  | 'STALE'
  | 'JWKS_UNAVAILABLE';

/**
 * HTTP status for every code, in one table the compiler checks: a new code cannot forget its
 * status. 401 means "present other credentials", 403 "these credentials are not enough", 503
 * "this instance cannot judge right now, retry" (the token may well be fine).
 *
 * @example
 * ```ts
 * res.status(HTTP_STATUS_BY_CODE[err.code]);
 * ```
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<VerifierErrorCode, number>> = Object.freeze({
  TOKEN_MISSING: 401,
  TOKEN_MALFORMED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_NOT_YET_VALID: 401,
  SIGNATURE_INVALID: 401,
  CLAIM_INVALID: 401,
  TOKEN_REVOKED: 401,
  INSUFFICIENT_SCOPE: 403,
  NOT_READY: 503,
  STALE: 503,
  JWKS_UNAVAILABLE: 503,
});

/**
 * Base class of every error a verifier throws for a token it will not accept.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof VerifierError) res.status(HTTP_STATUS_BY_CODE[err.code]);
 * }
 * ```
 */
export abstract class VerifierError extends Error {
  /** Stable machine-readable code. */
  abstract readonly code: VerifierErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No token was presented. */
export class TokenMissingError extends VerifierError {
  override readonly code = 'TOKEN_MISSING';
  constructor(message = 'no bearer token presented') {
    super(message);
  }
}

/**
 * The credentials are not a well-formed bearer token: a bad `Authorization` header, a string
 * that is not a compact JWS, undecodable JSON, an unsupported header.
 */
export class TokenMalformedError extends VerifierError {
  override readonly code = 'TOKEN_MALFORMED';
  constructor(
    message: string,
    options?: ErrorOptions,
    /**
     * What is malformed: the request's credentials (`'request'`: RFC 6750 `invalid_request`)
     * or the token itself (`'token'`: `invalid_token`). Default `'token'`.
     */
    readonly part: 'request' | 'token' = 'token',
  ) {
    super(message, options);
  }
}

/** The token's `exp` has passed (beyond the clock tolerance). */
export class TokenExpiredError extends VerifierError {
  override readonly code = 'TOKEN_EXPIRED';
}

/** The token's `nbf` or `iat` lies in the future (beyond the clock tolerance). */
export class TokenNotYetValidError extends VerifierError {
  override readonly code = 'TOKEN_NOT_YET_VALID';
}

/**
 * The signature does not verify, no key of the key set matches, or the token uses an algorithm
 * this verifier does not accept.
 */
export class SignatureInvalidError extends VerifierError {
  override readonly code = 'SIGNATURE_INVALID';
}

/** A claim is missing, has the wrong type, or fails a check (issuer, audience, lifetime). */
export class ClaimInvalidError extends VerifierError {
  override readonly code = 'CLAIM_INVALID';
  constructor(
    message: string,
    /** The claim at fault, when one is known (`aud`, `iss`, `exp`, …). */
    readonly claim?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A revocation rule rejects the token. */
export class TokenRevokedError extends VerifierError {
  override readonly code = 'TOKEN_REVOKED';
  constructor(
    /** The kind of the rule that matched. */
    readonly kind: RuleKind,
    /** Why that rule was issued. */
    readonly reason: RevocationReason,
  ) {
    super(`token revoked (${kind} rule, reason ${reason})`);
  }
}

/** The token is valid but lacks a role or scope the route requires. */
export class InsufficientScopeError extends VerifierError {
  override readonly code = 'INSUFFICIENT_SCOPE';
  constructor(
    /** What the route requires: scope values, or role names. */
    readonly required: readonly string[],
    /** Whether `required` lists scopes or roles. */
    readonly requirement: 'scope' | 'role',
  ) {
    super(`token lacks required ${requirement}: ${required.join(' ')}`);
  }
}

/**
 * The verifier has not finished replaying the revocation topic (or has been closed), so it
 * cannot know whether the token was revoked while it was down.
 */
export class NotReadyError extends VerifierError {
  override readonly code = 'NOT_READY';
  constructor(message = 'verifier is not ready: the revocation topic has not been replayed yet') {
    super(message);
  }
}

/**
 * The verifier has heard nothing from the broker for longer than `maxStalenessMs` and is
 * configured with `onStale: 'closed'`.
 */
export class StaleError extends VerifierError {
  override readonly code = 'STALE';
  constructor(
    /** Time since the last contact with the broker, in ms. */
    readonly msSinceLastContact: number,
  ) {
    super(`revocation feed is stale: no broker contact for ${msSinceLastContact} ms`);
  }
}

/** The remote key set could not be fetched (network error, timeout, invalid response). */
export class JwksUnavailableError extends VerifierError {
  override readonly code = 'JWKS_UNAVAILABLE';
}
