/** Keys, documentation, health, readiness and metrics. */
import { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import type { RelayStatus } from '../../outbox/relay.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import { jwksResponse } from '../schemas.js';

/** What the system routes need beyond the context. */
export interface SystemRouteDeps {
  /** True once migrations have run at start. */
  readonly migrated: () => boolean;
  readonly relayStatus: () => RelayStatus;
  /** The OpenAPI document (built from every route, this one included). */
  readonly openApiDocument: () => unknown;
}

const healthResponse = z.object({ status: z.enum(['ok', 'unavailable']) });
const readinessResponse = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.object({
    database: z.enum(['ok', 'unreachable']),
    migrations: z.enum(['ok', 'pending']),
  }),
  relay: z.object({ leader: z.boolean(), kafkaHealthy: z.boolean() }),
});

/** Routes outside the API proper. */
export function systemRoutes(ctx: ServiceContext, deps: SystemRouteDeps): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'jwks',
      summary: 'Public keys that may have signed a live access token',
      description:
        'The active key plus retired keys until their last token has expired. Revoked keys never appear.',
      tags: ['keys'],
      auth: 'none',
      responses: { 200: { description: 'JWK Set.', schema: jwksResponse } },
      handle: async () => ({
        status: 200,
        headers: { 'Cache-Control': 'public, max-age=30' },
        body: { keys: await ctx.keys.publishedKeys(ctx.now()) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This API’s OpenAPI 3.1 document',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'OpenAPI 3.1 document.' } },
      handle: () => Promise.resolve({ status: 200, body: deps.openApiDocument() }),
    }),
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'Alive.', schema: healthResponse } },
      handle: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: database reachable and migrations done',
      description:
        'Kafka is reported but does not decide readiness: revocations are accepted into the ' +
        'outbox while Kafka is away.',
      tags: ['system'],
      auth: 'none',
      responses: {
        200: { description: 'Ready.', schema: readinessResponse },
        503: { description: 'Not ready.', schema: readinessResponse },
      },
      handle: async () => {
        const database = await ctx.store.ping().then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        );
        const migrations = deps.migrated() ? ('ok' as const) : ('pending' as const);
        const ready = database === 'ok' && migrations === 'ok';
        const relay = deps.relayStatus();
        return {
          status: ready ? 200 : 503,
          headers: { 'Cache-Control': 'no-store' },
          body: {
            status: ready ? 'ok' : 'unavailable',
            checks: { database, migrations },
            relay: { leader: relay.leader, kafkaHealthy: relay.kafkaHealthy },
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'Prometheus text exposition format.' } },
      handle: async () => ({
        status: 200,
        headers: { 'Content-Type': ctx.metrics.registry.contentType },
        body: await ctx.metrics.registry.metrics(),
      }),
    }),
  ];
}
