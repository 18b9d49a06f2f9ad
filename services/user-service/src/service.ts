/**
 * One user-service instance: data store, keys, relay and HTTP server, started and stopped
 * together. Tests run it in-process; `main.ts` runs it as a process. Nothing but the relay
 * talks to Kafka, so every endpoint — the admin ones included — works while Kafka is away.
 */
import { createServer } from 'node:http';
import { createIssuer } from '@revocation-fabric/issuer-kit';
import type { Issuer, IssuingService } from '@revocation-fabric/issuer-kit';
import { httpServiceSteps, lifecycle, repeat } from '@revocation-fabric/service-runtime';
import type { Repeating, ServiceOptions } from '@revocation-fabric/service-runtime';
import { PasswordHasher } from './accounts/password.js';
import type { Argon2Parameters } from './accounts/password.js';
import { bootstrapAdmin } from './accounts/register.js';
import type { UserServiceConfig } from './config.js';
import type { ServiceContext } from './context.js';
import { userServiceMigrations } from './db/migrations.js';
import type { Database } from './db/schema.js';
import { createApp } from './http/app.js';
import type { Route } from './http/route.js';
import { accountRoutes } from './http/routes/account-routes.js';
import { adminRoutes } from './http/routes/admin-routes.js';
import { consoleRoutes } from './http/routes/console-routes.js';
import { operatorRoutes } from './http/routes/operator-routes.js';
import { sessionRoutes } from './http/routes/session-routes.js';
import { systemRoutes } from './http/routes/system-routes.js';
import { REVOKING_OPERATIONS, withReceipts } from './http/with-receipts.js';
import { createLogger } from './logger.js';
import { RevocationReceipts } from './receipts/revocation-receipts.js';
import { ServiceMetrics } from './metrics.js';
import { PrivateKeySealer } from './tokens/key-protection.js';
import { SigningKeys } from './tokens/signing-keys.js';
import { KeyRuleWatch } from './tokens/key-rule-watch.js';

/** Options of {@link createUserService} beyond the configuration. */
export interface UserServiceOptions extends ServiceOptions {
  /** argon2id parameters; default OWASP's. Tests may lower them, production should not. */
  readonly argon2?: Argon2Parameters;
}

/**
 * A running (or startable) user-service. `start()` migrates, prepares keys and the bootstrap
 * admin, starts the relay and listens; Kafka need not be up (the relay tries for a few seconds,
 * then keeps trying in the background).
 */
export type UserService = IssuingService<Database, UserServiceConfig>;

/**
 * Creates a user-service instance. Nothing listens or connects to Kafka until `start()`.
 *
 * @example
 * ```ts
 * const service = createUserService(loadConfig(process.env));
 * const url = await service.start();
 * process.on('SIGTERM', () => void service.stop());
 * ```
 */
export function createUserService(
  config: UserServiceConfig,
  options: UserServiceOptions = {},
): UserService {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => Date.now());
  const metrics = new ServiceMetrics();
  const issuer: Issuer<Database> = createIssuer<Database>({
    database: config.database,
    migrations: userServiceMigrations,
    kafka: config.kafka,
    outbox: config.outbox,
    retention: {
      maxTokenLifetimeMs: config.tokens.maxTokenLifetimeSeconds * 1000,
      clockToleranceMs: config.tokens.clockToleranceMs,
    },
    metrics: { registry: metrics.registry, prefix: 'user_service_' },
    events: {
      issuer: config.tokens.issuer,
      // A brake is signed by the active signing key, read in the revocation's transaction:
      // verifiers check it against the JWKS, so a Kafka password alone cannot pull one.
      signBrake: (trx, payload): Promise<string> => keys.signBrake(trx, payload),
      committed: (events) => {
        for (const event of events) {
          metrics.revocations.inc({ kind: event.kind, reason: event.reason });
        }
        logger.info(
          { events: events.map((e) => ({ id: e.id, kind: e.kind, reason: e.reason })) },
          'revocation committed',
        );
      },
    },
    logger,
    now,
  });
  const { store, relay } = issuer;
  const keys = new SigningKeys(store, new PrivateKeySealer(config.keys.encryptionKey), {
    retiredKeyPublishMs:
      config.tokens.maxTokenLifetimeSeconds * 1000 + config.tokens.clockToleranceMs,
  });
  const keyRuleWatch = new KeyRuleWatch({ config, keys, logger, now });
  const ctx: ServiceContext = {
    config,
    issuer,
    store,
    logger,
    hasher: new PasswordHasher(options.argon2),
    keys,
    metrics,
    now,
  };

  // Receipts read Kafka only when asked (Prefer: wait=applied, the console's fleet and feed).
  const receipts = new RevocationReceipts({ kafka: config.kafka, store, logger, now });
  const apiRoutes: Route[] = [
    ...accountRoutes(ctx),
    ...sessionRoutes(ctx),
    ...adminRoutes(ctx),
    ...consoleRoutes(ctx),
    ...operatorRoutes(receipts),
  ].map((route) =>
    REVOKING_OPERATIONS.has(route.operationId) ? withReceipts(route, receipts, now) : route,
  );
  const routes = [
    ...apiRoutes,
    ...systemRoutes(ctx, apiRoutes, {
      readiness: () => issuer.readiness(),
    }),
  ];
  const app = createApp(ctx, routes);
  const server = createServer(app);

  let url: string | undefined;
  let rotation: Repeating | undefined;

  async function rotateIfDue(): Promise<void> {
    const maxAgeMs = config.keys.rotationIntervalSeconds * 1000;
    const kid = await keys.rotateIfOlderThan(maxAgeMs, now());
    if (kid !== undefined) logger.info({ kid }, 'signing key rotated on schedule');
  }

  const steps = httpServiceSteps(
    {
      server,
      address: config.http,
      async prepare() {
        // Migrates, creates or checks the topic and connects (Kafka may be away), starts the relay.
        await issuer.start();
        if (config.keys.encryptionKey === undefined) {
          logger.warn('KEY_ENCRYPTION_KEY is not set: private signing keys are stored unencrypted');
        }
        await ctx.hasher.warmUp();
        const kid = await keys.ensureActiveKey(now());
        logger.info({ kid }, 'signing key ready');
        if (config.bootstrapAdmin !== undefined) await bootstrapAdmin(ctx, config.bootstrapAdmin);
        // A key rule naming a key this service signs with makes it rotate at once, so new logins
        // keep working whoever pulled that brake.
        keyRuleWatch.start();
      },
      async listening(listeningAt) {
        if (config.keys.rotationIntervalSeconds > 0) {
          const every = Math.min(60_000, config.keys.rotationIntervalSeconds * 100);
          rotation = repeat(every, rotateIfDue, (error) =>
            logger.warn({ err: error }, 'scheduled key rotation failed'),
          );
          await rotateIfDue();
        }
        logger.info({ url: listeningAt, database: config.database.kind }, 'user-service listening');
      },
      async release() {
        rotation?.stop();
        await keyRuleWatch.close();
        await receipts.close();
        await issuer.stop();
        logger.info('user-service stopped');
      },
    },
    (current) => (url = current),
  );
  const life = lifecycle('user-service', steps);

  return {
    config,
    app,
    issuer,
    relay,
    store,
    get url() {
      return url;
    },
    start: () => life.start(),
    stop: () => life.stop(),
  };
}
