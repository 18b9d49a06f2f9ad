/**
 * What a route can require of an admitted token beyond its validity — roles, scopes, a recent
 * login — as framework-free checks. The express and fastify guards are these checks wrapped in
 * each framework's handler shape.
 */
import { assertRecentAuth, resolveMaxAuthAge } from '../auth-age.js';
import type { VerifiedToken } from '../claims.js';
import { InsufficientScopeError } from '../errors.js';

/**
 * One requirement on an admitted token.
 *
 * @param now - the verifier's clock, read only by requirements about time.
 * @throws a `VerifierError` subclass when the token does not meet it.
 */
export type TokenRequirement = (token: VerifiedToken, now: () => number) => void;

function validateNames(names: readonly unknown[], what: string): readonly string[] {
  if (
    names.length === 0 ||
    !names.every((n) => typeof n === 'string' && n.length > 0 && !n.includes(' '))
  ) {
    throw new TypeError(`${what} must be one or more non-empty strings without spaces`);
  }
  return Object.freeze([...(names as string[])]);
}

/** At least one of `roles` (`roles` claim). @throws TypeError on an empty or bad list. */
export function anyRole(roles: readonly unknown[], what: string): TokenRequirement {
  const required = validateNames(roles, what);
  return (token) => {
    if (!token.claims.roles.some((role) => required.includes(role))) {
      throw new InsufficientScopeError({ required, requirement: 'role' });
    }
  };
}

/** Every one of `roles`. @throws TypeError on an empty or bad list. */
export function allRoles(roles: readonly unknown[], what: string): TokenRequirement {
  const required = validateNames(roles, what);
  return (token) => {
    if (!required.every((role) => token.claims.roles.includes(role))) {
      throw new InsufficientScopeError({ required, requirement: 'role' });
    }
  };
}

/** Every one of `scopes` (`scope` claim). @throws TypeError on an empty or bad list. */
export function allScopes(scopes: readonly unknown[], what: string): TokenRequirement {
  const required = validateNames(scopes, what);
  return (token) => {
    if (!required.every((scope) => token.scopes.includes(scope))) {
      throw new InsufficientScopeError({ required, requirement: 'scope' });
    }
  };
}

/** A login at most `maxAgeSeconds` old (see {@link assertRecentAuth}). @throws TypeError on bad options. */
export function recentAuth(options: unknown, what: string): TokenRequirement {
  const maxAgeSeconds = resolveMaxAuthAge(options, what);
  return (token, now) => assertRecentAuth(token, maxAgeSeconds, now());
}
