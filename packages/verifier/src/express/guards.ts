import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RecentAuthOptions } from '../auth-age.js';
import { VerifierError } from '../errors.js';
import { allRoles, allScopes, anyRole, recentAuth } from '../lib/requirements.js';
import type { TokenRequirement } from '../lib/requirements.js';
import { admissionOf } from './require-auth.js';
import { sendVerifierError } from './respond.js';

function guard(name: string, requirement: TokenRequirement): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const admission = admissionOf(req);
    if (req.auth === undefined || admission === undefined) {
      // A wiring mistake, not a client error: say so loudly rather than answer 401/403.
      next(new Error(`${name} must be mounted after requireAuth(verifier)`));
      return;
    }
    try {
      requirement(req.auth, admission.now);
    } catch (error) {
      // Same realm and Retry-After as the requireAuth in front of this guard.
      if (error instanceof VerifierError) sendVerifierError(res, error, admission.refusal);
      else next(error);
      return;
    }
    next();
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
 * @throws TypeError without roles, or with an empty name or one containing a space.
 */
export function requireAnyRole(...roles: string[]): RequestHandler {
  return guard('requireAnyRole', anyRole(roles, 'requireAnyRole(...roles)'));
}

/**
 * Admits requests whose token carries **every** given role (`roles` claim); others get 403
 * `insufficient_scope`. Mount after {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.post('/audit', requireAuth(verifier), requireAllRoles('admin', 'auditor'), auditHandler);
 * ```
 * @throws TypeError without roles, or with an empty name or one containing a space.
 */
export function requireAllRoles(...roles: string[]): RequestHandler {
  return guard('requireAllRoles', allRoles(roles, 'requireAllRoles(...roles)'));
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
 * @throws TypeError without scopes, or with an empty value or one containing a space.
 */
export function requireAllScopes(...scopes: string[]): RequestHandler {
  return guard('requireAllScopes', allScopes(scopes, 'requireAllScopes(...scopes)'));
}

/**
 * Admits requests whose user logged in at most `maxAgeSeconds` ago by the verifier's clock
 * (the token's `auth_time`, RFC 9470 step-up). Others — and tokens without `auth_time` — get
 * 401 INSUFFICIENT_USER_AUTHENTICATION with
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description="…", max_age=<maxAgeSeconds>`,
 * so the client can send the user back to the issuer with that `max_age`. Mount after
 * {@link requireAuth}.
 *
 * @example
 * ```ts
 * app.post('/payout', requireAuth(verifier), requireRecentAuth({ maxAgeSeconds: 300 }), payout);
 * ```
 * @throws TypeError unless `maxAgeSeconds` is a positive integer.
 */
export function requireRecentAuth(options: RecentAuthOptions): RequestHandler {
  return guard('requireRecentAuth', recentAuth(options, 'requireRecentAuth(options)'));
}
