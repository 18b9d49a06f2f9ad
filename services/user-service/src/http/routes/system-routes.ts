/** Keys, documentation, health, readiness and metrics. */
import { systemRoutes as shellSystemRoutes } from '@revocation-fabric/service-runtime';
import type { ServiceContext } from '../../context.js';
import { openApiOptions } from '../app.js';
import { readinessResponse } from '../readiness.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';
import { jwksResponse } from '../schemas.js';

/** What the system routes need beyond the context. */
export interface SystemRouteDeps {
  /** Builds `/readyz`'s answer (see readiness.ts). */
  readonly readiness: () => Promise<{ readonly status: 200 | 503; readonly body: unknown }>;
}

/**
 * The JWKS, then `/healthz`, `/readyz`, `/metrics` and `/openapi.json` (documenting
 * `apiRoutes` and these).
 *
 * @example
 * ```ts
 * routes.push(...systemRoutes(ctx, routes, { readiness }));
 * ```
 */
export function systemRoutes(
  ctx: ServiceContext,
  apiRoutes: readonly Route[],
  deps: SystemRouteDeps,
): Route[] {
  const jwks = defineRoute({
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
  });
  return [
    jwks,
    ...shellSystemRoutes([...apiRoutes, jwks], {
      metrics: ctx.metrics.registry,
      readiness: deps.readiness,
      readinessSchema: readinessResponse,
      readinessDescription:
        '200 when the database answers and is migrated — requests, revocations included, are ' +
        'accepted — even while Kafka is away: a revocation is answered once it and its outbox ' +
        'row are committed, and the relay publishes it when Kafka answers. The body reports ' +
        'the database, Kafka as the relay last saw it and the outbox backlog separately.',
      openApi: openApiOptions,
    }),
  ];
}
