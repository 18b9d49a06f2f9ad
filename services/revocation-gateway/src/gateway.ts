/**
 * One gateway instance: database, relay, SSF receivers and HTTP server, started and stopped
 * together. Tests run it in-process; `main.ts` runs it as a process.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { outboxBacklog } from '@revocation-fabric/publisher';
import type { OutboxRelay } from '@revocation-fabric/publisher';
import type { GatewayConfig } from './config/load-config.js';
import type { GatewayContext } from './context.js';
import { openDataStore } from './db/connect.js';
import type { DataStore } from './db/connect.js';
import { migrateToLatest } from './db/migrations.js';
import type { GatewayDatabase } from './db/schema.js';
import { createApp } from './http/app.js';
import { kafkaState } from './http/readiness.js';
import { createLogger } from './logger.js';
import { GatewayMetrics } from './metrics.js';
import { providerRuntimes } from './providers.js';
import type { ProviderRuntime } from './providers.js';
import { createGatewayRelay } from './relay.js';
import { purgeSeenSignals } from './signals/commit-signal.js';
import type { ReceiverStatus } from './ssf/ssf-receiver.js';

/** Options of {@link createGateway} beyond the configuration. */
export interface GatewayOptions {
  /** Default: a pino logger at the configured level. */
  readonly logger?: Logger;
  /** The clock, ms since the epoch; reaches jose, the iat window and the outbox. Default `() => Date.now()`. */
  readonly now?: () => number;
}

/** A running (or startable) gateway. */
export interface Gateway {
  readonly config: GatewayConfig;
  readonly app: Express;
  readonly relay: OutboxRelay<GatewayDatabase>;
  readonly store: DataStore;
  readonly providers: ReadonlyMap<string, ProviderRuntime>;
  /** Base URL once listening. */
  readonly url: string | undefined;
  /** Migrates, starts the relay and the SSF receivers, listens. Kafka and the transmitters need not be up. */
  start(): Promise<string>;
  /** Stops listening, the receivers and the relay; closes the database. Idempotent. */
  stop(): Promise<void>;
  /** Same as `stop`. */
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 5000;
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
  const store = openDataStore(config.database, logger);
  let providers: ReadonlyMap<string, ProviderRuntime> = new Map();
  let kafkaAtStart = false;
  const streams = (): ReadonlyMap<string, ReceiverStatus> => {
    const statuses = new Map<string, ReceiverStatus>();
    for (const [name, runtime] of providers)
      if (runtime.ssf) statuses.set(name, runtime.ssf.status());
    return statuses;
  };
  // The metrics read the relay lazily (at scrape time); the relay reports into the metrics.
  const relayRef: { current?: OutboxRelay<GatewayDatabase> } = {};
  const metrics = new GatewayMetrics({
    backlog: () => outboxBacklog(store.db),
    kafkaUp: () =>
      relayRef.current !== undefined && kafkaState(relayRef.current.status(), kafkaAtStart) === 'ok'
        ? 1
        : 0,
    streamsUp: () =>
      new Map(
        [...streams()].map(([name, s]) => [
          name,
          s.state === 'verified' || s.state === 'registered' ? 1 : 0,
        ]),
      ),
    now,
  });
  const theRelay = createGatewayRelay({ store, config, logger, metrics, now });
  relayRef.current = theRelay;
  const ctx: GatewayContext = {
    config,
    store,
    logger,
    metrics,
    now,
    outboxCommitted: () => theRelay.wake(),
  };
  providers = providerRuntimes(ctx);

  let migrated = false;
  const app = createApp(ctx, providers, {
    migrated: () => migrated,
    relayStatus: () => theRelay.status(),
    kafkaState: () => kafkaState(theRelay.status(), kafkaAtStart),
    outboxBacklog: () => outboxBacklog(store.db),
    streams,
  });

  let server: Server | undefined;
  let url: string | undefined;
  let purgeTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (purgeTimer !== undefined) clearInterval(purgeTimer);
    const closing = server;
    server = undefined;
    url = undefined;
    if (closing !== undefined) {
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      closing.closeIdleConnections();
      const timer = setTimeout(() => closing.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(timer);
    }
    for (const runtime of providers.values()) await runtime.ssf?.stop();
    await theRelay.stop();
    await store.close();
    logger.info('revocation gateway stopped');
  }

  return {
    config,
    app,
    relay: theRelay,
    store,
    providers,
    get url() {
      return url;
    },
    async start() {
      if (stopped) throw new Error('a stopped gateway cannot start again; create a new one');
      if (url !== undefined) return url;
      await migrateToLatest(store, logger);
      migrated = true;
      kafkaAtStart = await theRelay.prepare(3000);
      theRelay.start();
      const listening = app.listen(config.http.port, config.http.host);
      server = listening;
      await once(listening, 'listening');
      const { port } = listening.address() as AddressInfo;
      const host = ['0.0.0.0', '::', ''].includes(config.http.host)
        ? '127.0.0.1'
        : config.http.host;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      // Receivers start after the server listens: a push transmitter verifies the stream at once.
      for (const runtime of providers.values()) runtime.ssf?.start();
      purgeTimer = setInterval(() => {
        purgeSeenSignals(store.db, now()).catch((error: unknown) =>
          logger.warn({ err: error }, 'purging seen signals failed'),
        );
      }, PURGE_EVERY_MS);
      purgeTimer.unref();
      logger.info(
        { url, database: config.database.kind, providers: [...providers.keys()] },
        'revocation gateway listening',
      );
      return url;
    },
    stop,
    close: stop,
  };
}
