/**
 * The gateway's HTTP app: the two signal routes and the system routes in the shared HTTP shell
 * (request ids, request log, duration metric, protocol's error body for 404/405/400/500 — never
 * a stack or an internal message). The signal routes answer refusals in their own protocols.
 */
import type express from 'express';
import { createHttpApp, systemRoutes } from '@revocation-fabric/service-runtime';
import type { OpenApiOptions, Route } from '@revocation-fabric/service-runtime';
import type { GatewayContext } from '../context.js';
import { ERROR_CODES } from '../errors.js';
import type { ProviderRuntime } from '../providers.js';
import { signalSchemas } from './protocol-answers.js';
import { readinessResponse } from './readiness.js';
import { backchannelLogoutRoute } from './routes/backchannel-logout.js';
import { pushSecurityScheme, ssfPushRoute } from './routes/ssf-push.js';

/** How `/openapi.json` documents the gateway. */
export const openApiOptions: OpenApiOptions = {
  info: {
    title: 'revocation-fabric revocation gateway',
    version: '0.1.0',
    description:
      'Turns identity providers’ revocation signals — OpenID Connect Back-Channel Logout 1.0 and ' +
      'Shared Signals Framework 1.0 (CAEP/RISC SETs, RFC 8935 push, RFC 8936 poll) — into ' +
      'revocation-fabric events, committed to an outbox before any answer. Mapping: docs/signal-mapping.md.',
  },
  errorCodes: ERROR_CODES,
  schemas: signalSchemas,
  securitySchemes: pushSecurityScheme,
};

/** What the app reads beyond the context. */
export interface AppDeps {
  /** Builds `/readyz`'s answer (see readiness.ts). */
  readonly readiness: () => Promise<{ readonly status: 200 | 503; readonly body: unknown }>;
}

/**
 * Every route the gateway serves: the signal routes, then the system routes documenting all.
 *
 * @example
 * ```ts
 * const routes = gatewayRoutes(ctx, providers, { readiness });
 * ```
 */
export function gatewayRoutes(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
  deps: AppDeps,
): Route<never>[] {
  const signals = [backchannelLogoutRoute(ctx, providers), ssfPushRoute(ctx, providers)];
  return [
    ...signals,
    ...systemRoutes(signals, {
      metrics: ctx.metrics.registry,
      readiness: deps.readiness,
      readinessSchema: readinessResponse,
      readinessDescription:
        'The database decides: 200 when it answers and is migrated, since a signal is answered ' +
        'once committed to the outbox. Kafka, the outbox backlog and the SSF streams are ' +
        'reported beside the status, never folded into it.',
      openApi: openApiOptions,
    }),
  ];
}

/**
 * Builds the app.
 *
 * @example
 * ```ts
 * const app = createApp(ctx, providers, { readiness });
 * ```
 */
export function createApp(
  ctx: GatewayContext,
  providers: ReadonlyMap<string, ProviderRuntime>,
  deps: AppDeps,
): express.Express {
  return createHttpApp<never>({
    logger: ctx.logger,
    httpDuration: ctx.metrics.httpDuration,
    routes: gatewayRoutes(ctx, providers, deps),
  });
}
