/**
 * One gateway instance: database, relay, SSF receivers and HTTP server, started and stopped
 * together. Tests run it in-process; `main.ts` runs it as a process.
 */
import { createServer } from 'node:http';
import { createIssuer } from '@revocation-fabric/issuer-kit';
import type { Issuer, IssuingService } from '@revocation-fabric/issuer-kit';
import { httpServiceSteps, lifecycle, repeat } from '@revocation-fabric/service-runtime';
import type { Repeating, ServiceOptions } from '@revocation-fabric/service-runtime';
import type { GatewayConfig } from './config/load-config.js';
import type { GatewayContext } from './context.js';
import { gatewayMigrations } from './db/migrations.js';
import type { GatewayDatabase } from './db/schema.js';
import { createApp } from './http/app.js';
import { readinessReport } from './http/readiness.js';
import { createLogger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { providerRuntimes } from './providers.js';
import type { ProviderRuntime } from './providers.js';
import { purgeSeenSignals } from './signals/commit-signal.js';
import type { ReceiverStatus } from './ssf/ssf-receiver.js';

/** Options of {@link createGateway} beyond the configuration (the clock reaches jose too). */
export type GatewayOptions = ServiceOptions;

/** A running (or startable) gateway: `start()` also starts the SSF receivers once listening. */
export interface Gateway extends IssuingService<GatewayDatabase, GatewayConfig> {
  readonly providers: ReadonlyMap<string, ProviderRuntime>;
  /** Same as `stop`. */
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Creates a gateway. Nothing listens or connects until `start()`.
 *
 * @example
 * ```ts
 * const gateway = createGateway(loadConfig(process.env));
 * const url = await gateway.start();
 * ```
 */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => Date.now());
  let providers: ReadonlyMap<string, ProviderRuntime> = new Map();
  const streams = (): ReadonlyMap<string, ReceiverStatus> => {
    const statuses = new Map<string, ReceiverStatus>();
    for (const [name, runtime] of providers)
      if (runtime.ssf) statuses.set(name, runtime.ssf.status());
    return statuses;
  };
  // The metrics read the issuer lazily (at scrape time); the issuer reports into the registry.
  const metrics = new GatewayMetrics({
    kafkaUp: () => (issuer.kafkaState() === 'ok' ? 1 : 0),
    streamsUp: () =>
      new Map(
        [...streams()].map(([name, s]) => [
          name,
          s.state === 'verified' || s.state === 'registered' ? 1 : 0,
        ]),
      ),
  });
  const issuer: Issuer<GatewayDatabase> = createIssuer<GatewayDatabase>({
    database: config.database,
    migrations: gatewayMigrations,
    kafka: config.kafka,
    outbox: config.outbox,
    // The topic must keep events as long as the longest-lived token of any provider.
    retention: {
      maxTokenLifetimeMs: Math.max(...config.providers.map((p) => p.maxTokenLifetimeMs)),
      clockToleranceMs: config.clockToleranceMs,
    },
    metrics: { registry: metrics.registry, prefix: 'revocation_gateway_' },
    // No default issuer: each event names its provider's.
    events: { clockToleranceMs: config.clockToleranceMs },
    logger,
    now,
  });
  const { store, relay: theRelay } = issuer;
  const ctx: GatewayContext = { config, issuer, store, logger, metrics, now };
  providers = providerRuntimes(ctx);

  const app = createApp(ctx, providers, {
    readiness: async () =>
      readinessReport({ ...(await issuer.readinessFacts()), streams: streams() }),
  });
  const server = createServer(app);

  let url: string | undefined;
  let purge: Repeating | undefined;

  const steps = httpServiceSteps(
    {
      server,
      address: config.http,
      // Migrates, creates or checks the topic and connects (Kafka may be away), starts the relay.
      prepare: () => issuer.start(),
      listening(listeningAt) {
        // Receivers start once the server listens: a push transmitter verifies the stream at once.
        for (const runtime of providers.values()) runtime.ssf?.start();
        purge = repeat(
          PURGE_EVERY_MS,
          () => purgeSeenSignals(store.db, now()),
          (error) => logger.warn({ err: error }, 'purging seen signals failed'),
        );
        logger.info(
          { url: listeningAt, database: config.database.kind, providers: [...providers.keys()] },
          'revocation gateway listening',
        );
      },
      async release() {
        purge?.stop();
        for (const runtime of providers.values()) await runtime.ssf?.stop();
        await issuer.stop();
        logger.info('revocation gateway stopped');
      },
    },
    (current) => (url = current),
  );
  const life = lifecycle('gateway', steps);

  return {
    config,
    app,
    issuer,
    relay: theRelay,
    store,
    providers,
    get url() {
      return url;
    },
    start: () => life.start(),
    stop: () => life.stop(),
    close: () => life.stop(),
  };
}
