import { accessTokenClaimsSchema, tokenFactsFromClaims } from '@revocation-fabric/protocol';
import type { AccessTokenClaims, TokenFacts } from '@revocation-fabric/protocol';
import { ClaimInvalidError } from './errors.js';
import type { ResolvedClaimMapping } from './issuers.js';

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

/** Follows a dotted claim path (`realm_access.roles`); `undefined` where it leads nowhere. */
function claimAt(payload: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const part of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

/**
 * The payload with an issuer's claims moved under the contract's names (`sid`, `roles`, `sgen`,
 * `ggen`), so one schema and one facts mapping judge every issuer. Claims the mapping does not
 * name are kept as they are.
 */
function mapClaims(
  payload: Record<string, unknown>,
  mapping: ResolvedClaimMapping,
): Record<string, unknown> {
  const mapped: Record<string, unknown> = { ...payload };
  const place = (name: string, value: unknown) => {
    if (value === undefined) delete mapped[name];
    else mapped[name] = value;
  };
  // Own claims only: a claim name from configuration must never read an inherited property.
  const own = (name: string | null) =>
    name !== null && Object.hasOwn(payload, name) ? payload[name] : undefined;
  place('sid', own(mapping.sid));
  place('roles', claimAt(payload, mapping.roles));
  place('sgen', own(mapping.subjectGeneration));
  place('ggen', own(mapping.globalGeneration));
  return mapped;
}

/** The issuer's own name of a contract claim, for error messages. */
function issuerClaimName(claim: string, mapping: ResolvedClaimMapping): string {
  switch (claim) {
    case 'sid':
      return mapping.sid;
    case 'roles':
      return mapping.roles.join('.');
    case 'sgen':
      return mapping.subjectGeneration ?? claim;
    case 'ggen':
      return mapping.globalGeneration ?? claim;
    default:
      return claim;
  }
}

/**
 * Checks the claims revocation and authorization depend on against the protocol's access-token
 * contract, after jose has verified the signature, issuer, audience and times. The issuer's
 * claim mapping is applied first, so `claims.sid`, `claims.roles`, … mean the same for every
 * issuer.
 *
 * @throws {@link ClaimInvalidError} naming the claim at fault, by the issuer's own name.
 */
export function readClaims(
  payload: Record<string, unknown>,
  kid: string | undefined,
  mapping?: ResolvedClaimMapping,
): VerifiedToken {
  const input = mapping === undefined || mapping.identity ? payload : mapClaims(payload, mapping);
  const parsed = accessTokenClaimsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
    const claim =
      path === undefined || mapping === undefined ? path : issuerClaimName(path, mapping);
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
