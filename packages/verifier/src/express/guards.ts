import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { InsufficientScopeError } from '../errors.js';
import { responseOptionsOf } from './require-auth.js';
import { sendVerifierError } from './respond.js';

function validateNames(names: readonly unknown[], what: string): readonly string[] {
  if (
    names.length === 0 ||
    !names.every((n) => typeof n === 'string' && n.length > 0 && !n.includes(' '))
  ) {
    throw new TypeError(`${what} must be one or more non-empty strings without spaces`);
  }
  return Object.freeze([...(names as string[])]);
}

function guard(
  name: string,
  admits: (req: Request) => boolean,
  refusal: () => InsufficientScopeError,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.auth === undefined) {
      // A wiring mistake, not a client error: say so loudly rather than answer 401/403.
      next(new Error(`${name} must be mounted after requireAuth(verifier)`));
      return;
    }
    if (admits(req)) next();
    // Same realm and Retry-After as the requireAuth in front of this guard.
    else sendVerifierError(res, refusal(), responseOptionsOf(req));
  };
}

/**
 * Admits requests whose token carries **at least one** of the given roles (`roles` claim);
 * others get 403 `insufficient_scope`. Mount after {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.post('/ban', requireAuth(verifier), requireAnyRole('admin', 'moderator'), banHandler);
 * ```
 */
export function requireAnyRole(...roles: string[]): RequestHandler {
  const required = validateNames(roles, 'requireAnyRole(...roles)');
  return guard(
    'requireAnyRole',
    (req) => req.auth?.claims.roles.some((role) => required.includes(role)) === true,
    () => new InsufficientScopeError({ required, requirement: 'role' }),
  );
}

/**
 * Admits requests whose token carries **every** given role (`roles` claim); others get 403
 * `insufficient_scope`. Mount after {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.post('/audit', requireAuth(verifier), requireAllRoles('admin', 'auditor'), auditHandler);
 * ```
 */
export function requireAllRoles(...roles: string[]): RequestHandler {
  const required = validateNames(roles, 'requireAllRoles(...roles)');
  return guard(
    'requireAllRoles',
    (req) => required.every((role) => req.auth?.claims.roles.includes(role) === true),
    () => new InsufficientScopeError({ required, requirement: 'role' }),
  );
}

/**
 * Admits requests whose token grants **every** given scope value (`scope` claim); others get
 * 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"` (RFC 6750 §3.1).
 * Mount after {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.get('/scores', requireAuth(verifier), requireAllScopes('scores:read'), listScores);
 * ```
 */
export function requireAllScopes(...scopes: string[]): RequestHandler {
  const required = validateNames(scopes, 'requireAllScopes(...scopes)');
  return guard(
    'requireAllScopes',
    (req) => required.every((scope) => req.auth?.scopes.includes(scope) === true),
    () => new InsufficientScopeError({ required, requirement: 'scope' }),
  );
}
