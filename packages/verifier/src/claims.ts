import type { TokenFacts } from '@revocation-fabric/protocol';
import { ClaimInvalidError } from './errors.js';

/**
 * The claims of an access token as the issuer stamps them. Only `sub`, `iat` and `exp` are
 * required; every other claim is type-checked when present. Times are JWT NumericDates
 * (seconds since the epoch).
 */
export interface AccessTokenClaims {
  /** Issuer. */
  readonly iss?: string | undefined;
  /** Audience(s). */
  readonly aud?: string | readonly string[] | undefined;
  /** Subject: the user id. */
  readonly sub: string;
  /** Session id: one login on one device. */
  readonly sid?: string | undefined;
  /** Token id. */
  readonly jti?: string | undefined;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  /** Expires at, seconds since the epoch. */
  readonly exp: number;
  /** Not before, seconds since the epoch. */
  readonly nbf?: number | undefined;
  /** When the user authenticated, seconds since the epoch. */
  readonly auth_time?: number | undefined;
  /** Role names; `[]` when the token carries none. */
  readonly roles: readonly string[];
  /** Space-separated OAuth scope values. */
  readonly scope?: string | undefined;
  /** The subject's generation at issue (see the `subject` rule with `generation`). */
  readonly sgen?: number | undefined;
  /** The global generation at issue (see the `global` rule with `generation`). */
  readonly ggen?: number | undefined;
  /** Any other claim, untouched. */
  readonly [claim: string]: unknown;
}

/** A token this verifier accepted: its claims and what its protected header said. */
export interface VerifiedToken {
  /** The token's claims, frozen. */
  readonly claims: AccessTokenClaims;
  /** `kid` of the JWS protected header, if any. */
  readonly kid: string | undefined;
  /** The `scope` claim split on spaces; empty when absent. */
  readonly scopes: readonly string[];
}

/**
 * The revocation facts of every token {@link readClaims} built, keyed by object identity: a
 * copy or a look-alike of a VerifiedToken is not found and gets its facts computed afresh, so
 * nothing a caller builds can borrow another token's facts. Weak, so it holds nothing alive.
 */
const FACTS = new WeakMap<VerifiedToken, TokenFacts>();

function optionalString(payload: Record<string, unknown>, claim: string): void {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string') {
    throw new ClaimInvalidError(`"${claim}" claim must be a string`, claim);
  }
}

function optionalGeneration(payload: Record<string, unknown>, claim: string): void {
  const value = payload[claim];
  if (
    value !== undefined &&
    !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
  ) {
    throw new ClaimInvalidError(`"${claim}" claim must be a non-negative integer`, claim);
  }
}

/**
 * Checks the types of the claims revocation and authorization depend on, after jose has
 * verified the signature, issuer, audience and times.
 *
 * @throws {@link ClaimInvalidError} naming the claim at fault.
 */
export function readClaims(
  payload: Record<string, unknown>,
  kid: string | undefined,
): VerifiedToken {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
    throw new ClaimInvalidError('"sub" claim must be a non-empty string', 'sub');
  }
  for (const claim of ['iat', 'exp'] as const) {
    if (typeof payload[claim] !== 'number' || !Number.isFinite(payload[claim])) {
      throw new ClaimInvalidError(`"${claim}" claim must be a number`, claim);
    }
  }
  optionalString(payload, 'sid');
  optionalString(payload, 'jti');
  optionalString(payload, 'scope');
  optionalGeneration(payload, 'sgen');
  optionalGeneration(payload, 'ggen');
  const roles = payload.roles ?? [];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw new ClaimInvalidError('"roles" claim must be an array of strings', 'roles');
  }
  const claims = Object.freeze({
    ...payload,
    roles: Object.freeze([...roles]),
  }) as AccessTokenClaims;
  const scopes = Object.freeze(
    claims.scope === undefined ? [] : claims.scope.split(' ').filter(Boolean),
  );
  const verified: VerifiedToken = Object.freeze({ claims, kid, scopes });
  // Computed once here rather than on every revocation check: both objects are frozen, so the
  // facts can never disagree with the claims they were read from.
  FACTS.set(verified, Object.freeze(tokenFacts(verified)));
  return verified;
}

/** {@link tokenFacts}, without the allocation for tokens this module verified. */
export function factsOf(token: VerifiedToken): TokenFacts {
  return FACTS.get(token) ?? tokenFacts(token);
}

/**
 * The facts revocation rules look at. The issue time is `iat` in ms: the protocol's cutoffs
 * are milliseconds, and tokens whose issuer stamps `sgen`/`ggen` are judged exactly by those.
 */
export function tokenFacts(token: VerifiedToken): TokenFacts {
  const { claims } = token;
  return {
    jti: claims.jti,
    sid: claims.sid,
    sub: claims.sub,
    kid: token.kid,
    issuedAt: claims.iat * 1000,
    sgen: claims.sgen,
    ggen: claims.ggen,
  };
}
