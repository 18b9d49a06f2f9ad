/**
 * The gateway's OpenAPI 3.1 document. The two signal endpoints speak their protocols' formats
 * (a form, a bare JWT), so the document is written here rather than generated from route
 * schemas; its JSON Schemas come from the same zod schemas the code answers with
 * (`z.toJSONSchema`, JSON Schema 2020-12 as OpenAPI 3.1 wants), and `openapi.test.ts` checks
 * every mounted path is documented.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { SET_ERROR_CODES } from '../signals/refusal.js';
import { readinessResponse } from './readiness.js';

type JsonObject = Record<string, unknown>;

const schema = (s: z.ZodType): JsonObject => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, {
    io: 'output',
    unrepresentable: 'any',
  }) as JsonObject;
  return rest;
};

/** Back-Channel Logout §2.8's error body. */
export const logoutErrorBody = z.object({
  error: z.literal('invalid_request'),
  error_description: z.string(),
});
/** RFC 8935 §2.3's error body. */
export const pushErrorBody = z.object({ err: z.enum(SET_ERROR_CODES), description: z.string() });
const fabricErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES as [string, ...string[]]),
    message: z.string(),
    requestId: z.string().optional(),
  }),
});

const providerParameter = {
  name: 'provider',
  in: 'path',
  required: true,
  description: 'The provider’s configured `name`.',
  schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' },
};
const logoutError = (description: string) => ({
  description,
  headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
  content: { 'application/json': { schema: { $ref: '#/components/schemas/LogoutError' } } },
});
const pushError = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/PushError' } } },
});

/**
 * Builds the document.
 *
 * @example
 * ```ts
 * res.json(buildOpenApiDocument());
 * ```
 */
export function buildOpenApiDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'revocation-fabric revocation gateway',
      version: '0.1.0',
      description:
        'Turns identity providers’ revocation signals — OpenID Connect Back-Channel Logout 1.0 and ' +
        'Shared Signals Framework 1.0 (CAEP/RISC SETs, RFC 8935 push, RFC 8936 poll) — into ' +
        'revocation-fabric events, committed to an outbox before any answer. Mapping: docs/signal-mapping.md.',
    },
    paths: {
      '/backchannel-logout/{provider}': {
        post: {
          operationId: 'backchannelLogout',
          summary: 'Receive a logout token (OpenID Connect Back-Channel Logout 1.0)',
          tags: ['signals'],
          parameters: [providerParameter],
          requestBody: {
            required: true,
            content: {
              'application/x-www-form-urlencoded': {
                schema: {
                  type: 'object',
                  required: ['logout_token'],
                  properties: {
                    logout_token: { type: 'string', description: 'The signed logout token.' },
                  },
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'Accepted: the revocation is committed to the outbox.',
              headers: { 'Cache-Control': { schema: { const: 'no-store' } } },
            },
            '400': logoutError(
              'The logout token failed a validation rule (§2.6), or was replayed.',
            ),
            '404': logoutError('No such provider, or back-channel logout is not enabled for it.'),
            '413': logoutError('Body larger than the limit.'),
            '503': logoutError('The provider’s keys are out of reach; retry later.'),
          },
        },
      },
      '/ssf/{provider}/events': {
        post: {
          operationId: 'ssfPush',
          summary: 'Receive a pushed Security Event Token (RFC 8935)',
          tags: ['signals'],
          parameters: [providerParameter],
          security: [{ pushAuthorization: [] }],
          requestBody: {
            required: true,
            content: { 'application/secevent+jwt': { schema: { type: 'string' } } },
          },
          responses: {
            '202': { description: 'Accepted: committed (or already committed: a redelivery).' },
            '400': pushError('The SET failed a validation rule, or its subject cannot be mapped.'),
            '401': pushError('The Authorization header is not the one the gateway issued.'),
            '404': pushError('No such provider, or push is not enabled for it.'),
            '413': pushError('Body larger than the limit.'),
            '503': pushError('The transmitter’s keys are out of reach; retry later.'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'Liveness: the process answers (nothing else is checked, on purpose)',
          tags: ['system'],
          responses: { '200': { description: 'Alive.' } },
        },
      },
      '/readyz': {
        get: {
          operationId: 'ready',
          summary:
            'Readiness: the database decides; Kafka, the outbox and SSF streams are reported',
          tags: ['system'],
          responses: {
            '200': {
              description: 'Ready.',
              content: { 'application/json': { schema: schema(readinessResponse) } },
            },
            '503': {
              description: 'Database unreachable or not migrated.',
              content: { 'application/json': { schema: schema(readinessResponse) } },
            },
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics',
          summary: 'Prometheus metrics',
          tags: ['system'],
          responses: { '200': { description: 'Prometheus text exposition format.' } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi',
          summary: 'This document',
          tags: ['system'],
          responses: { '200': { description: 'OpenAPI 3.1 document.' } },
        },
      },
    },
    components: {
      schemas: {
        LogoutError: schema(logoutErrorBody),
        PushError: schema(pushErrorBody),
        Error: schema(fabricErrorBody),
      },
      securitySchemes: {
        pushAuthorization: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'The `authorization_header` the gateway gave the transmitter when it set up the stream.',
        },
      },
    },
  };
}
