import type { preHandlerHookHandler } from 'fastify';
import type { RecentAuthOptions } from '../auth-age.js';
import { VerifierError } from '../errors.js';
import { allRoles, allScopes, anyRole, recentAuth } from '../lib/requirements.js';
import type { TokenRequirement } from '../lib/requirements.js';
import { sendRefusal } from './respond.js';
import { admissionOf } from './verifier-auth.js';

function guard(name: string, requirement: TokenRequirement): preHandlerHookHandler {
  return (request, reply, done) => {
    const admission = admissionOf(request);
    if (request.auth === undefined || admission === undefined) {
      // A wiring mistake, not a client error: say so loudly (500) rather than answer 401/403.
      done(new Error(`${name} must run after the requireAuth hook of verifierAuth`));
      return;
    }
    try {
      requirement(request.auth, admission.now);
    } catch (error) {
      // Same realm and Retry-After as the requireAuth in front of this guard.
      if (error instanceof VerifierError) sendRefusal(reply, error, admission.refusal);
      else done(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    done();
  };
}

/**
 * `preHandler` hook admitting requests whose token carries **at least one** of the given roles
 * (`roles` claim); others get 403 `insufficient_scope`. Runs after `app.requireAuth`.
 *
 * @example
 * ```ts
 * app.post('/ban', { onRequest: app.requireAuth, preHandler: requireAnyRole('admin', 'moderator') }, ban);
 * ```
 * @throws TypeError without roles, or with an empty name or one containing a space.
 */
export function requireAnyRole(...roles: string[]): preHandlerHookHandler {
  return guard('requireAnyRole', anyRole(roles, 'requireAnyRole(...roles)'));
}

/**
 * `preHandler` hook admitting requests whose token carries **every** given role (`roles`
 * claim); others get 403 `insufficient_scope`. Runs after `app.requireAuth`.
 *
 * @example
 * ```ts
 * app.post('/audit', { onRequest: app.requireAuth, preHandler: requireAllRoles('admin', 'auditor') }, audit);
 * ```
 * @throws TypeError without roles, or with an empty name or one containing a space.
 */
export function requireAllRoles(...roles: string[]): preHandlerHookHandler {
  return guard('requireAllRoles', allRoles(roles, 'requireAllRoles(...roles)'));
}

/**
 * `preHandler` hook admitting requests whose token grants **every** given scope value (`scope`
 * claim); others get 403 with `WWW-Authenticate: Bearer error="insufficient_scope", scope="…"`.
 * Runs after `app.requireAuth`.
 *
 * @example
 * ```ts
 * app.get('/scores', { onRequest: app.requireAuth, preHandler: requireAllScopes('scores:read') }, list);
 * ```
 * @throws TypeError without scopes, or with an empty value or one containing a space.
 */
export function requireAllScopes(...scopes: string[]): preHandlerHookHandler {
  return guard('requireAllScopes', allScopes(scopes, 'requireAllScopes(...scopes)'));
}

/**
 * `preHandler` hook admitting requests whose user logged in at most `maxAgeSeconds` ago by the
 * verifier's clock (the token's `auth_time`, RFC 9470 step-up). Others — and tokens without
 * `auth_time` — get 401 INSUFFICIENT_USER_AUTHENTICATION with
 * `WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description="…", max_age=<maxAgeSeconds>`.
 * Runs after `app.requireAuth`.
 *
 * @example
 * ```ts
 * app.post('/payout', { onRequest: app.requireAuth, preHandler: requireRecentAuth({ maxAgeSeconds: 300 }) }, payout);
 * ```
 * @throws TypeError unless `maxAgeSeconds` is a positive integer.
 */
export function requireRecentAuth(options: RecentAuthOptions): preHandlerHookHandler {
  return guard('requireRecentAuth', recentAuth(options, 'requireRecentAuth(options)'));
}
