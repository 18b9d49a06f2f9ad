/** `/healthz`, `/readyz`, `/metrics`, `/openapi.json`. */
import type express from 'express';
import type { Request, Response } from 'express';
import type { OutboxBacklog, RelayStatus } from '@revocation-fabric/publisher';
import type { GatewayContext } from '../../context.js';
import type { ReceiverStatus } from '../../ssf/ssf-receiver.js';
import { buildOpenApiDocument } from '../openapi.js';
import { readinessReport } from '../readiness.js';
import type { KafkaState } from '../readiness.js';

/** What the system routes read. */
export interface SystemRouteDeps {
  readonly migrated: () => boolean;
  readonly relayStatus: () => RelayStatus;
  readonly kafkaState: () => KafkaState;
  readonly outboxBacklog: () => Promise<OutboxBacklog>;
  readonly streams: () => ReadonlyMap<string, ReceiverStatus>;
}

/**
 * Mounts the routes.
 *
 * @example
 * ```ts
 * mountSystemRoutes(app, ctx, deps);
 * ```
 */
export function mountSystemRoutes(
  app: express.Express,
  ctx: GatewayContext,
  deps: SystemRouteDeps,
): void {
  let document: unknown;
  app.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  });
  app.get('/openapi.json', (_req: Request, res: Response) => {
    res.json((document ??= buildOpenApiDocument()));
  });
  app.get('/metrics', async (_req: Request, res: Response) => {
    res.setHeader('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
  app.get('/readyz', async (_req: Request, res: Response) => {
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
      streams: deps.streams(),
      now: ctx.now(),
    });
    res.status(status).setHeader('Cache-Control', 'no-store').json(body);
  });
}
