/**
 * What every HTTP adapter answers to credentials that are not one well-formed bearer token: the
 * express and fastify tests hold both adapters to it. Excluded from the build.
 */
import { expect } from 'vitest';

/** `Authorization` values that are not `Bearer <token68>` (RFC 6750 §2.1). */
export const MALFORMED_AUTHORIZATION = [
  'Basic dXNlcjpwYXNz',
  'Bearer',
  'Bearer a b',
  'Bearer tok!en',
  'Bearer a,b',
] as const;

/** An adapter's answer as its test reads it. */
export interface BearerAnswer {
  readonly status: number;
  readonly challenge: string | string[] | null | undefined;
  readonly body: unknown;
}

/** 401 with an `invalid_request` challenge (RFC 6750 §3.1) and the error body's TOKEN_MALFORMED. */
export function expectInvalidRequest(answer: BearerAnswer): void {
  expect(answer.status).toBe(401);
  expect(answer.challenge).toMatch(
    /^Bearer realm="game", error="invalid_request", error_description="/,
  );
  expect(answer.body).toMatchObject({ error: { code: 'TOKEN_MALFORMED' } });
}

/** The RFC 9470 challenge of a `requireRecentAuth({ maxAgeSeconds: 300 })` refusal, saying why. */
export function recentAuthChallenge(why: string): string {
  return `Bearer realm="game", error="insufficient_user_authentication", error_description="a more recent authentication is required: ${why}", max_age=300`;
}

/** An adapter's guard builders, which refuse to build a guard that names nothing. */
export interface GuardBuilders {
  readonly requireAnyRole: (...roles: string[]) => unknown;
  readonly requireAllRoles: (...roles: string[]) => unknown;
  readonly requireAllScopes: (...scopes: string[]) => unknown;
}

/** No names, or a name with a space in it, is a `TypeError` when the guard is built. */
export function expectNamelessGuardsRefused(guards: GuardBuilders): void {
  expect(() => guards.requireAnyRole()).toThrow(TypeError);
  expect(() => guards.requireAllRoles()).toThrow(TypeError);
  expect(() => guards.requireAllScopes('two words')).toThrow(TypeError);
}
