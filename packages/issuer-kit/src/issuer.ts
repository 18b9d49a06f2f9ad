/**
 * The write path of one issuing service instance, assembled: its store (with group commit),
 * migrations, outbox relay, metrics, readiness and the one way to write revocations. The
 * service's composition root adds what is its own (HTTP, keys, SSF receivers) around it.
 */
import { outboxBacklog } from '@revocation-fabric/publisher';
import type { OutboxRelay, SqlDialect } from '@revocation-fabric/publisher';
import type { Registry } from 'prom-client';
import { revocationTransaction } from './commit/revocation-transaction.js';
import type {
  CommittedRevocation,
  RerunnableWork,
  RevocationWriterOptions,
} from './commit/revocation-transaction.js';
import type { IssuerLogger } from './issuer-logger.js';
import { registerIssuerMetrics } from './metrics/issuer-metrics.js';
import type { IssuerMetrics } from './metrics/issuer-metrics.js';
import { migrateToLatest } from './migrations/migrate-to-latest.js';
import type { MigrationList } from './migrations/migrate-to-latest.js';
import { kafkaState } from './readiness/kafka-state.js';
import type { KafkaState } from './readiness/kafka-state.js';
import { issuerReadinessReport } from './readiness/readiness-report.js';
import type { IssuerReadiness, IssuerReadinessFacts } from './readiness/readiness-report.js';
import { createIssuerRelay } from './relay/create-issuer-relay.js';
import type {
  IssuerKafkaConfig,
  IssuerOutboxConfig,
  TopicRetentionBasis,
} from './relay/relay-settings.js';
import type { DatabaseConfig } from './store/database-config.js';
import { openIssuerStore } from './store/open-store.js';
import type { IssuerStore } from './store/open-store.js';

/** Options of {@link createIssuer}. */
export interface IssuerOptions<DB> {
  readonly database: DatabaseConfig;
  /** The service's migrations for a dialect, in order (names are recorded: never rename one). */
  readonly migrations: (dialect: SqlDialect) => MigrationList;
  readonly kafka: IssuerKafkaConfig;
  readonly outbox: IssuerOutboxConfig;
  /** Sizes the revocation topic's retention (created or checked at start). */
  readonly retention: TopicRetentionBasis;
  /** Where the write path's metrics go, and their name prefix (e.g. `user_service_`). */
  readonly metrics: { readonly registry: Registry; readonly prefix: string };
  /** How revocations are written: default issuer, brake signer, tolerance, committed hook. */
  readonly events?: RevocationWriterOptions<DB> | undefined;
  readonly logger: IssuerLogger;
  /** The clock, ms since the epoch: events, relay, readiness. */
  readonly now: () => number;
}

/** The write path of one instance. */
export interface Issuer<DB> {
  readonly store: IssuerStore<DB>;
  /** The outbox relay (the publisher's); readiness shows its status. */
  readonly relay: OutboxRelay<DB>;
  readonly metrics: IssuerMetrics;
  /**
   * Runs a revocation's work in a group-committed transaction; wakes the relay after the
   * commit. See {@link RerunnableWork} for what the work may do.
   */
  revocationTransaction<T>(work: RerunnableWork<DB, T>): Promise<CommittedRevocation<T>>;
  /** True once the migrations ran. */
  migrated(): boolean;
  /** Kafka as the relay last saw it. */
  kafkaState(): KafkaState;
  /** Reads what `/readyz` reports (pings the database, reads the backlog). */
  readinessFacts(): Promise<IssuerReadinessFacts>;
  /** The shared `/readyz` report and its status code. */
  readiness(): Promise<{ status: 200 | 503; body: IssuerReadiness }>;
  /** Runs the migrations (once; `start` does it too). */
  migrate(): Promise<void>;
  /**
   * Migrates, then creates or checks the topic and connects (at most 3 s: Kafka need not be up,
   * the relay keeps trying in the background), then starts the relay.
   *
   * @throws `TopicRetentionTooShortError` when the topic would delete events too early.
   */
  start(): Promise<void>;
  /** Stops the relay and closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** How long start waits for Kafka before going on without it, ms. */
const KAFKA_AT_START_MS = 3000;

/**
 * Assembles the write path. Nothing connects until `start()` (the database file or pool is
 * opened at once).
 *
 * @example
 * ```ts
 * const issuer = createIssuer<Database>({
 *   database: config.database, migrations: userServiceMigrations,
 *   kafka: config.kafka, outbox: config.outbox,
 *   retention: { maxTokenLifetimeMs, clockToleranceMs },
 *   metrics: { registry, prefix: 'user_service_' }, logger, now,
 * });
 * await issuer.start();
 * await issuer.revocationTransaction(async ({ trx, emit }) => { … });
 * ```
 */
export function createIssuer<DB>(options: IssuerOptions<DB>): Issuer<DB> {
  const { logger, now } = options;
  const store = openIssuerStore<DB>(options.database, logger);
  const metrics = registerIssuerMetrics(options.metrics.registry, {
    prefix: options.metrics.prefix,
    backlog: () => outboxBacklog(store.db),
    now,
  });
  const relay = createIssuerRelay({
    store,
    kafka: options.kafka,
    outbox: options.outbox,
    retention: options.retention,
    logger,
    observer: metrics.observer,
    now,
  });
  const setup = {
    ...options.events,
    commits: store.commits,
    now,
    wake: () => relay.wake(),
  };
  let migrated = false;
  let kafkaAtStart = false;
  let stopped = false;

  async function migrate(): Promise<void> {
    if (migrated) return;
    await migrateToLatest(store, options.migrations(store.dialect), logger);
    migrated = true;
  }

  async function readinessFacts(): Promise<IssuerReadinessFacts> {
    const database = await store.ping().then(
      () => 'ok' as const,
      () => 'unreachable' as const,
    );
    const backlog =
      database === 'ok' ? await outboxBacklog(store.db).catch(() => undefined) : undefined;
    return {
      database,
      migrated,
      kafka: kafkaState(relay.status(), kafkaAtStart),
      relay: relay.status(),
      backlog,
      now: now(),
    };
  }

  return {
    store,
    relay,
    metrics,
    revocationTransaction: (work) => revocationTransaction(setup, work),
    migrated: () => migrated,
    kafkaState: () => kafkaState(relay.status(), kafkaAtStart),
    readinessFacts,
    readiness: async () => issuerReadinessReport(await readinessFacts()),
    migrate,
    async start() {
      await migrate();
      // Creates the topic and connects ahead of the first event; a broker that is away costs
      // at most these seconds of start-up, and readiness says so.
      kafkaAtStart = await relay.prepare(KAFKA_AT_START_MS);
      relay.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await relay.stop();
      await store.close();
    },
  };
}
