/** Keys, documentation, health, readiness and metrics. */
import { z } from 'zod';
import type { ServiceContext } from '../../context.js';
import type { OutboxBacklog } from '@revocation-fabric/publisher';
import type { RelayStatus } from '@revocation-fabric/publisher';
import { readinessReport, readinessResponse } from '../readiness.js';
import type { KafkaState } from '../readiness.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import { jwksResponse } from '../schemas.js';

/** What the system routes need beyond the context. */
export interface SystemRouteDeps {
  /** True once migrations have run at start. */
  readonly migrated: () => boolean;
  readonly relayStatus: () => RelayStatus;
  /** Kafka as the relay last saw it (see readiness.ts). */
  readonly kafkaState: () => KafkaState;
  /** Reads the outbox backlog (every instance's). */
  readonly outboxBacklog: () => Promise<OutboxBacklog>;
  /** The OpenAPI document (built from every route, this one included). */
  readonly openApiDocument: () => unknown;
}

const healthResponse = z.object({ status: z.enum(['ok', 'unavailable']) });

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
      description:
        'Checks neither the database nor Kafka on purpose: a liveness probe that followed them ' +
        'would restart healthy instances during an outage. What works and what waits is ' +
        '`/readyz`’s answer.',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'Alive.', schema: healthResponse } },
      handle: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: what works now and what waits for Kafka',
      description:
        '200 when the database answers and is migrated — requests, revocations included, are ' +
        'accepted — even while Kafka is away: a revocation is answered once it and its outbox ' +
        'row are committed, and the relay publishes it when Kafka answers. The body reports ' +
        'the database, Kafka as the relay last saw it and the outbox backlog separately.',
      tags: ['system'],
      auth: 'none',
      responses: {
        200: {
          description: 'Ready (Kafka possibly away: see `kafka`).',
          schema: readinessResponse,
        },
        503: {
          description: 'Not ready: database unreachable or not migrated.',
          schema: readinessResponse,
        },
      },
      handle: async () => {
        const database = await ctx.store.ping().then(
          () => 'ok' as const,
          () => 'unreachable' as const,
        );
        const backlog =
          database === 'ok' ? await deps.outboxBacklog().catch(() => undefined) : undefined;
        const { status, body } = readinessReport({
          database,
          migrated: deps.migrated(),
          kafka: deps.kafkaState(),
          relay: deps.relayStatus(),
          backlog,
          now: ctx.now(),
        });
        return { status, headers: { 'Cache-Control': 'no-store' }, body };
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
