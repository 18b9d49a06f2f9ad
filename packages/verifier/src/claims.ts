import { accessTokenClaimsSchema, tokenFactsFromClaims } from '@revocation-fabric/protocol';
import type { AccessTokenClaims, TokenFacts } from '@revocation-fabric/protocol';
import { ClaimInvalidError } from './errors.js';

export type { AccessTokenClaims };

/** A token this verifier accepted: its claims and what its protected header said. */
export interface VerifiedToken {
  /** The token's claims, frozen. */
  readonly claims: Readonly<AccessTokenClaims>;
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

/**
 * Checks the claims revocation and authorization depend on against the protocol's access-token
 * contract, after jose has verified the signature, issuer, audience and times.
 *
 * @throws {@link ClaimInvalidError} naming the claim at fault.
 */
export function readClaims(
  payload: Record<string, unknown>,
  kid: string | undefined,
): VerifiedToken {
  const parsed = accessTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const claim = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
    throw new ClaimInvalidError({
      message: `"${claim ?? '?'}" claim is invalid: ${issue?.message ?? 'unknown'}`,
      claim,
    });
  }
  const claims: AccessTokenClaims = Object.freeze({
    ...parsed.data,
    roles: Object.freeze([...parsed.data.roles]) as string[],
  });
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

/** The facts revocation rules look at: the protocol's mapping of claims to facts. */
export function tokenFacts(token: VerifiedToken): TokenFacts {
  return tokenFactsFromClaims(token.claims, token.kid);
}
