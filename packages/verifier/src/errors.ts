import { CodedError } from '@revocation-fabric/protocol';
import type {
  CodedErrorOptions,
  InsufficientTopicRetention,
  RevocationReason,
  RuleKind,
} from '@revocation-fabric/protocol';

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
  | 'INSUFFICIENT_USER_AUTHENTICATION'
  | 'NOT_READY'
  | 'STALE'
  | 'JWKS_UNAVAILABLE';

/**
 * The `error` attribute of a `WWW-Authenticate: Bearer` challenge: RFC 6750 §3.1's three, and
 * RFC 9470's `insufficient_user_authentication` (step-up: the login behind the token is too old).
 */
export type BearerErrorCode =
  'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_user_authentication';

/** How an HTTP answer to one refusal looks. */
export interface VerifierErrorResponse {
  /** HTTP status. */
  readonly status: 401 | 403 | 503;
  /**
   * The RFC 6750 challenge: a `BearerErrorCode` for `Bearer error="…"`; `'bare'` for a challenge
   * without an error attribute (no credentials were presented, §3.1); `'none'` for no
   * challenge at all (the 503s: the credentials may be fine, this instance cannot judge now).
   */
  readonly challenge: BearerErrorCode | 'bare' | 'none';
}

/**
 * Status and challenge for every code, in one table the compiler checks: a new code cannot
 * forget either. 401 means "present other credentials" (INSUFFICIENT_USER_AUTHENTICATION too:
 * RFC 9470 asks for a token from a fresh login), 403 "these credentials are not enough", 503
 * "this instance cannot judge right now, retry" (the token may well be fine).
 * A TOKEN_MALFORMED about the request rather than the token is `invalid_request`
 * (see {@link TokenMalformedError.part}).
 *
 * @example
 * ```ts
 * res.status(VERIFIER_ERROR_RESPONSES[err.code].status);
 * ```
 */
export const VERIFIER_ERROR_RESPONSES: Readonly<Record<VerifierErrorCode, VerifierErrorResponse>> =
  Object.freeze({
    TOKEN_MISSING: { status: 401, challenge: 'bare' },
    TOKEN_MALFORMED: { status: 401, challenge: 'invalid_token' },
    TOKEN_EXPIRED: { status: 401, challenge: 'invalid_token' },
    TOKEN_NOT_YET_VALID: { status: 401, challenge: 'invalid_token' },
    SIGNATURE_INVALID: { status: 401, challenge: 'invalid_token' },
    CLAIM_INVALID: { status: 401, challenge: 'invalid_token' },
    TOKEN_REVOKED: { status: 401, challenge: 'invalid_token' },
    INSUFFICIENT_SCOPE: { status: 403, challenge: 'insufficient_scope' },
    INSUFFICIENT_USER_AUTHENTICATION: {
      status: 401,
      challenge: 'insufficient_user_authentication',
    },
    NOT_READY: { status: 503, challenge: 'none' },
    STALE: { status: 503, challenge: 'none' },
    JWKS_UNAVAILABLE: { status: 503, challenge: 'none' },
  });

/**
 * Base class of every error a verifier throws for a token it will not accept.
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verify(token);
 * } catch (err) {
 *   if (err instanceof VerifierError) res.status(VERIFIER_ERROR_RESPONSES[err.code].status);
 * }
 * ```
 */
export abstract class VerifierError extends CodedError<VerifierErrorCode> {}

/** No token was presented. */
export class TokenMissingError extends VerifierError {
  override readonly code = 'TOKEN_MISSING';
  constructor(options: CodedErrorOptions = {}) {
    super(options.message ?? 'no bearer token presented', options);
  }
}

/** Options of {@link TokenMalformedError}. */
export interface TokenMalformedErrorOptions extends CodedErrorOptions {
  /** What is malformed; see {@link TokenMalformedError.part}. Default `'token'`. */
  readonly part?: 'request' | 'token' | undefined;
}

/**
 * The credentials are not a well-formed bearer token: a bad `Authorization` header, a string
 * that is not a compact JWS, undecodable JSON, an unsupported header.
 */
export class TokenMalformedError extends VerifierError {
  override readonly code = 'TOKEN_MALFORMED';
  /**
   * What is malformed: the request's credentials (`'request'`: RFC 6750 `invalid_request`) or
   * the token itself (`'token'`: `invalid_token`).
   */
  readonly part: 'request' | 'token';
  constructor(options: TokenMalformedErrorOptions = {}) {
    super(options.message ?? 'token is malformed', options);
    this.part = options.part ?? 'token';
  }
}

/** The token's `exp` has passed (beyond the clock tolerance). */
export class TokenExpiredError extends VerifierError {
  override readonly code = 'TOKEN_EXPIRED';
  constructor(options: CodedErrorOptions = {}) {
    super(options.message ?? 'token has expired', options);
  }
}

/** The token's `nbf` or `iat` lies in the future (beyond the clock tolerance). */
export class TokenNotYetValidError extends VerifierError {
  override readonly code = 'TOKEN_NOT_YET_VALID';
  constructor(options: CodedErrorOptions = {}) {
    super(options.message ?? 'token is not valid yet', options);
  }
}

/**
 * The signature does not verify, no key of the key set matches, or the token uses an algorithm
 * this verifier does not accept.
 */
export class SignatureInvalidError extends VerifierError {
  override readonly code = 'SIGNATURE_INVALID';
  constructor(options: CodedErrorOptions = {}) {
    super(options.message ?? 'signature verification failed', options);
  }
}

/** Options of {@link ClaimInvalidError}. */
export interface ClaimInvalidErrorOptions extends CodedErrorOptions {
  /** The claim at fault, when one is known (`aud`, `iss`, `exp`, …). */
  readonly claim?: string | undefined;
}

/** A claim is missing, has the wrong type, or fails a check (issuer, audience, lifetime). */
export class ClaimInvalidError extends VerifierError {
  override readonly code = 'CLAIM_INVALID';
  /** The claim at fault, when one is known (`aud`, `iss`, `exp`, …). */
  readonly claim: string | undefined;
  constructor(options: ClaimInvalidErrorOptions = {}) {
    super(
      options.message ??
        (options.claim === undefined
          ? 'a claim is invalid'
          : `"${options.claim}" claim is invalid`),
      options,
    );
    this.claim = options.claim;
  }
}

/** Options of {@link TokenRevokedError}. */
export interface TokenRevokedErrorOptions extends CodedErrorOptions {
  /** The kind of the rule that matched. */
  readonly kind: RuleKind;
  /** Why that rule was issued. */
  readonly reason: RevocationReason;
}

/** A revocation rule rejects the token. */
export class TokenRevokedError extends VerifierError {
  override readonly code = 'TOKEN_REVOKED';
  /** The kind of the rule that matched. */
  readonly kind: RuleKind;
  /** Why that rule was issued. */
  readonly reason: RevocationReason;
  constructor(options: TokenRevokedErrorOptions) {
    super(
      options.message ?? `token revoked (${options.kind} rule, reason ${options.reason})`,
      options,
    );
    this.kind = options.kind;
    this.reason = options.reason;
  }
}

/** Options of {@link InsufficientScopeError}. */
export interface InsufficientScopeErrorOptions extends CodedErrorOptions {
  /** What the route requires: scope values, or role names. */
  readonly required: readonly string[];
  /** Whether `required` lists scopes or roles. */
  readonly requirement: 'scope' | 'role';
}

/** The token is valid but lacks a role or scope the route requires. */
export class InsufficientScopeError extends VerifierError {
  override readonly code = 'INSUFFICIENT_SCOPE';
  /** What the route requires: scope values, or role names. */
  readonly required: readonly string[];
  /** Whether `required` lists scopes or roles. */
  readonly requirement: 'scope' | 'role';
  constructor(options: InsufficientScopeErrorOptions) {
    super(
      options.message ??
        `token lacks required ${options.requirement}: ${options.required.join(' ')}`,
      options,
    );
    this.required = options.required;
    this.requirement = options.requirement;
  }
}

/**
 * Options of {@link InsufficientUserAuthenticationError}.
 *
 * @example
 * ```ts
 * throw new InsufficientUserAuthenticationError({ maxAgeSeconds: 300, authTime: claims.auth_time });
 * ```
 */
export interface InsufficientUserAuthenticationErrorOptions extends CodedErrorOptions {
  /** The longest time since the login the route accepts, in seconds. */
  readonly maxAgeSeconds: number;
  /** The token's `auth_time` (seconds since the epoch), or `undefined` when it carries none. */
  readonly authTime: number | undefined;
}

/**
 * The token is valid, but the login behind it is older than the route allows, or the token
 * carries no `auth_time` and so cannot prove a recent one (RFC 9470 step-up). The client should
 * send the user back to the issuer with `max_age` =
 * {@link InsufficientUserAuthenticationError.maxAgeSeconds} and retry with the new token.
 *
 * @example
 * ```ts
 * if (err instanceof InsufficientUserAuthenticationError) redirectToLogin({ max_age: err.maxAgeSeconds });
 * ```
 */
export class InsufficientUserAuthenticationError extends VerifierError {
  override readonly code = 'INSUFFICIENT_USER_AUTHENTICATION';
  /** The longest time since the login the route accepts, in seconds. */
  readonly maxAgeSeconds: number;
  /** The token's `auth_time` (seconds since the epoch), or `undefined` when it carries none. */
  readonly authTime: number | undefined;
  constructor(options: InsufficientUserAuthenticationErrorOptions) {
    super(
      options.message ??
        (options.authTime === undefined
          ? 'a more recent authentication is required: the token carries no auth_time'
          : `a more recent authentication is required: at most ${options.maxAgeSeconds} s ago`),
      options,
    );
    this.maxAgeSeconds = options.maxAgeSeconds;
    this.authTime = options.authTime;
  }
}

/**
 * Why a verifier is not ready: it is still replaying the revocation topic (`REPLAYING`); it is
 * closed (`CLOSED`); or a topic it replays keeps events for less than the longest token
 * lifetime it accepts + 2 × its clock tolerance (`TOPIC_RETENTION_TOO_SHORT`), so rules that
 * reject still-valid tokens may already be gone from it. Stable; for logs and metrics — clients
 * see the same NOT_READY (503) whatever the reason.
 */
export const NOT_READY_REASONS = ['REPLAYING', 'CLOSED', 'TOPIC_RETENTION_TOO_SHORT'] as const;

/** One of {@link NOT_READY_REASONS}. */
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

/** The message of each reason; it goes into HTTP error bodies, so it names no topic. */
const NOT_READY_MESSAGES: Readonly<Record<NotReadyReason, string>> = {
  REPLAYING: 'verifier is not ready: the revocation topic has not been replayed yet',
  CLOSED: 'verifier is closed',
  TOPIC_RETENTION_TOO_SHORT:
    'verifier is not ready: the revocation topic may have dropped rules for tokens still valid',
};

/**
 * Options of {@link NotReadyError}.
 *
 * @example
 * ```ts
 * new NotReadyError({ reason: 'TOPIC_RETENTION_TOO_SHORT', topicRetention: tooShort });
 * ```
 */
export interface NotReadyErrorOptions extends CodedErrorOptions {
  /** Why the verifier is not ready. Default `'REPLAYING'`. */
  readonly reason?: NotReadyReason | undefined;
  /**
   * With `TOPIC_RETENTION_TOO_SHORT`: the topics found too short, as the protocol's
   * `checkTopicRetention` judged them (values in force, required, and the fix). For logs;
   * never part of an HTTP answer.
   */
  readonly topicRetention?: readonly InsufficientTopicRetention[] | undefined;
}

/**
 * The verifier cannot know whether the token was revoked: it has not finished replaying the
 * revocation topic, it has been closed, or the topic's retention is too short for a replay to
 * find every rule. See {@link NotReadyError.reason}.
 */
export class NotReadyError extends VerifierError {
  override readonly code = 'NOT_READY';
  /** Why; see {@link NOT_READY_REASONS}. */
  readonly reason: NotReadyReason;
  /** With `TOPIC_RETENTION_TOO_SHORT`: the topics found too short; empty otherwise. */
  readonly topicRetention: readonly InsufficientTopicRetention[];
  constructor(options: NotReadyErrorOptions = {}) {
    const reason = options.reason ?? 'REPLAYING';
    super(options.message ?? NOT_READY_MESSAGES[reason], options);
    this.reason = reason;
    this.topicRetention = options.topicRetention ?? [];
  }
}

/** Options of {@link StaleError}. */
export interface StaleErrorOptions extends CodedErrorOptions {
  /** Time since the last contact with the broker, in ms. */
  readonly msSinceLastContact: number;
}

/**
 * The verifier has heard nothing from the broker for longer than `maxStalenessMs` and is
 * configured with `onStale: 'closed'`.
 */
export class StaleError extends VerifierError {
  override readonly code = 'STALE';
  /** Time since the last contact with the broker, in ms. */
  readonly msSinceLastContact: number;
  constructor(options: StaleErrorOptions) {
    super(
      options.message ??
        `revocation feed is stale: no broker contact for ${options.msSinceLastContact} ms`,
      options,
    );
    this.msSinceLastContact = options.msSinceLastContact;
  }
}

/** The remote key set could not be fetched (network error, timeout, invalid response). */
export class JwksUnavailableError extends VerifierError {
  override readonly code = 'JWKS_UNAVAILABLE';
  constructor(options: CodedErrorOptions = {}) {
    super(options.message ?? 'key set unavailable', options);
  }
}
