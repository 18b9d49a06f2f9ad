/**
 * How the two signal endpoints answer, each in its own protocol's words, and how the OpenAPI
 * document describes those answers: Back-Channel Logout §2.8 (`{ error, error_description }`,
 * `Cache-Control: no-store`) and RFC 8935 §2.3/2.4 (`{ err, description }`). Identity providers
 * parse these, not the fabric's error body.
 */
import { z } from 'zod';
import { jsonSchema } from '@revocation-fabric/service-runtime';
import type { ResponseSpec, RouteResult } from '@revocation-fabric/service-runtime';
import { SET_ERROR_CODES } from '../signals/refusal.js';
import type { SignalRefusedError } from '../signals/refusal.js';

/** Back-Channel Logout §2.8's error body. */
export const logoutErrorBody = z.object({
  error: z.literal('invalid_request'),
  error_description: z.string(),
});

/** RFC 8935 §2.3's error body. */
export const pushErrorBody = z.object({ err: z.enum(SET_ERROR_CODES), description: z.string() });

/** The schema components the signal routes' documentation refers to. */
export const signalSchemas = {
  LogoutError: jsonSchema(logoutErrorBody),
  PushError: jsonSchema(pushErrorBody),
};

/** The `provider` path parameter, as documented. */
export const providerParameter = {
  name: 'provider',
  in: 'path',
  required: true,
  description: 'The provider’s configured `name`.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
};

/** A documented logout refusal. */
export function logoutError(description: string): ResponseSpec {
  return {
    description,
    headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
    content: { 'application/json': { schema: { $ref: '#/components/schemas/LogoutError' } } },
  };
}

/** A documented push refusal. */
export function pushError(description: string): ResponseSpec {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/PushError' } } },
  };
}

/**
 * The answer to a refused logout token.
 *
 * @example
 * ```ts
 * return logoutRefusal(refuse('NONCE_PRESENT', 'a logout token must not contain nonce'));
 * ```
 */
export function logoutRefusal(error: SignalRefusedError): RouteResult {
  return {
    status: error.answer.status,
    headers: { 'Cache-Control': 'no-store', ...(error.answer.retry ? { 'Retry-After': '5' } : {}) },
    body: { error: 'invalid_request', error_description: error.message },
  };
}

/**
 * The answer to a refused pushed SET.
 *
 * @example
 * ```ts
 * return pushRefusal(refuse('AUDIENCE_MISMATCH', 'aud does not name this receiver'));
 * ```
 */
export function pushRefusal(error: SignalRefusedError): RouteResult {
  return {
    status: error.answer.status,
    headers: {
      // RFC 6750 §3: a 401 names the scheme the receiver expects (the header it issued is a bearer).
      ...(error.answer.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}),
      ...(error.answer.retry ? { 'Retry-After': '5' } : {}),
    },
    body: { err: error.answer.setErr, description: error.message },
  };
}
