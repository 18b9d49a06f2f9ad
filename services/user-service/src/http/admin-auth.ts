/**
 * Admin authentication through the project's own verifier package — the same check every
 * downstream service runs (signature via this service's JWKS, claims, revocation blocklist fed
 * by Kafka) — followed by the `admin` role check. The HTTP layer then also applies the
 * database check every self-service endpoint gets, so a revocation binds admin tokens here the
 * moment it commits, even before its event has gone through Kafka.
 *
 * The verifier runs fail-open when Kafka goes quiet after start (`onStale: 'open'`): the
 * database check still enforces every revocation, and the emergency brake must stay reachable
 * during a broker outage. Until its first replay is done it answers 503 (NOT_READY).
 */
import { VerifierError, createVerifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { Verifier } from '@revocation-fabric/verifier';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { UserServiceConfig } from '../config.js';
import { UserServiceError } from '../errors.js';
import { ADMIN_ROLE } from '../accounts/users.js';

/** The caller an admin token names. */
export interface AdminIdentity {
  readonly sub: string;
  readonly sid: string | undefined;
  readonly roles: readonly string[];
}

/** How admin endpoints authenticate their caller. */
export interface AdminAuth {
  /**
   * Verifies a bearer token and requires the admin role.
   *
   * @throws {@link UserServiceError} `unauthorized`, `forbidden` or `not_ready`.
   */
  authenticate(token: string): Promise<AdminIdentity>;
  /** Starts once the HTTP server listens; `selfUrl` is its base URL (the default JWKS source). */
  start(selfUrl: string): void;
  /** Resolves when admin tokens can be checked. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Dependencies of {@link createVerifierAdminAuth}. */
export interface VerifierAdminAuthOptions {
  readonly config: UserServiceConfig;
  readonly logger: Logger;
  readonly registry: Registry;
}

/** An {@link AdminAuth} backed by `@revocation-fabric/verifier`. */
export function createVerifierAdminAuth(options: VerifierAdminAuthOptions): AdminAuth {
  const { config } = options;
  const logger = options.logger.child({ component: 'admin-verifier' });
  let verifier: Verifier | undefined;
  let started: (() => void) | undefined;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));

  return {
    start(selfUrl) {
      if (verifier !== undefined) return;
      verifier = createVerifier({
        issuer: config.tokens.issuer,
        audience: config.tokens.audience,
        algorithms: ['ES256'],
        jwks: {
          url: config.adminAuth.jwksUrl ?? `${selfUrl}/.well-known/jwks.json`,
          // It is our own endpoint, one indexed query away: refetch on every unknown kid, so an
          // admin token of a key activated a moment ago works at once (jose waits 30 s).
          cooldownDuration: 0,
          cacheMaxAge: 60_000,
        },
        revocations: kafkaRevocations({
          brokers: [...config.kafka.brokers],
          topic: config.kafka.topic,
          clientId: `${config.kafka.clientId}-admin-auth`,
        }),
        clockToleranceMs: config.tokens.clockToleranceMs,
        maxTokenLifetimeMs: config.tokens.maxTokenLifetimeSeconds * 1000,
        onStale: 'open',
        logger,
        metrics: { registry: options.registry, prefix: 'user_service_admin_verifier_' },
      });
      started?.();
    },
    async ready() {
      await startedPromise;
      await verifier?.ready();
    },
    async authenticate(token) {
      if (verifier === undefined) {
        throw new UserServiceError({
          code: 'NOT_READY',
          message: 'admin authentication is starting',
        });
      }
      let claims;
      try {
        ({ claims } = await verifier.verify(token));
      } catch (error) {
        if (!(error instanceof VerifierError)) throw error;
        if (
          error.code === 'NOT_READY' ||
          error.code === 'STALE' ||
          error.code === 'JWKS_UNAVAILABLE'
        ) {
          throw new UserServiceError({
            code: 'NOT_READY',
            message: 'admin authentication is not ready; retry shortly',
          });
        }
        throw new UserServiceError({
          code: 'UNAUTHORIZED',
          message: `access token rejected: ${error.code.toLowerCase()}`,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        });
      }
      if (!claims.roles.includes(ADMIN_ROLE)) {
        throw new UserServiceError({
          code: 'FORBIDDEN',
          message: 'this endpoint requires the admin role',
          headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
        });
      }
      return { sub: claims.sub, sid: claims.sid, roles: claims.roles };
    },
    async close() {
      const closing = verifier;
      verifier = undefined;
      await closing?.close();
    },
  };
}
