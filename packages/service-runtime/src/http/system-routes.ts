/**
 * The routes every service serves beside its API: liveness, readiness, Prometheus metrics and
 * its own OpenAPI document, alike in all three services.
 */
import { z } from 'zod';
import { buildOpenApiDocument } from './openapi.js';
import type { OpenApiOptions } from './openapi.js';
import { definePublicRoute } from './route.js';
import type { Route } from './route.js';

/** A metrics registry as `/metrics` reads it (prom-client's `Registry` fits). */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** Options of {@link systemRoutes}. */
export interface SystemRoutesOptions {
  readonly metrics: MetricsRegistry;
  /** Builds the readiness answer: 200 when the instance should receive traffic, else 503. */
  readonly readiness: () => Promise<{ readonly status: 200 | 503; readonly body: unknown }>;
  /** The body of `/readyz`, for the document. */
  readonly readinessSchema: z.ZodType;
  /** What decides readiness, in a sentence or two (the document's description of `/readyz`). */
  readonly readinessDescription: string;
  /** The body of `/healthz`. Default `{ status: 'ok' }`. */
  readonly health?: (() => Readonly<Record<string, unknown>>) | undefined;
  /** How `/openapi.json` documents the service's routes (this table's included). */
  readonly openApi: OpenApiOptions;
}

const healthResponse = z.looseObject({ status: z.literal('ok') });

/**
 * `/healthz`, `/readyz`, `/metrics` and `/openapi.json`, given every other route (the document
 * covers them all).
 *
 * @example
 * ```ts
 * const routes = [...apiRoutes];
 * routes.push(...systemRoutes(routes, { metrics: registry, readiness, readinessSchema, readinessDescription, openApi }));
 * ```
 */
export function systemRoutes(
  apiRoutes: readonly Route<never>[] | readonly Route<unknown>[],
  options: SystemRoutesOptions,
): Route<never>[] {
  let document: unknown;
  const own: Route<never>[] = [
    definePublicRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      description:
        'Checks nothing else on purpose: a liveness probe that followed the database or Kafka ' +
        'would restart healthy instances during an outage. What works and what waits is ' +
        '`/readyz`’s answer.',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'Alive.', schema: healthResponse } },
      handle: () => Promise.resolve({ status: 200, body: options.health?.() ?? { status: 'ok' } }),
    }),
    definePublicRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: what works now and what waits',
      description: options.readinessDescription,
      tags: ['system'],
      auth: 'none',
      responses: {
        200: { description: 'Ready.', schema: options.readinessSchema },
        503: { description: 'Not ready.', schema: options.readinessSchema },
      },
      handle: async () => {
        const { status, body } = await options.readiness();
        return { status, headers: { 'Cache-Control': 'no-store' }, body };
      },
    }),
    definePublicRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      tags: ['system'],
      auth: 'none',
      responses: {
        200: { description: 'Prometheus text exposition format.', content: { 'text/plain': {} } },
      },
      handle: async () => ({
        status: 200,
        headers: { 'Content-Type': options.metrics.contentType },
        body: await options.metrics.metrics(),
      }),
    }),
    definePublicRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This API’s OpenAPI 3.1 document',
      tags: ['system'],
      auth: 'none',
      responses: { 200: { description: 'OpenAPI 3.1 document.' } },
      handle: () =>
        Promise.resolve({
          status: 200,
          body: (document ??= buildOpenApiDocument(
            [...apiRoutes, ...own] as Route[],
            options.openApi,
          )),
        }),
    }),
  ];
  return own;
}
