import { DEFAULT_CLOCK_TOLERANCE_MS } from '@revocation-fabric/protocol';
import { silentLogger } from './logger.js';
import type { VerifierLogger } from './logger.js';
import type { RevocationFeedFactory } from './feed.js';
import { resolveIssuer, resolveIssuers } from './issuers.js';
import type { ResolvedIssuer, TrustedIssuer } from './issuers.js';
import {
  describe,
  validateChoice,
  validateDuration,
  validateInteger,
  validateOptionalString,
} from './lib/validate.js';

/**
 * The part of a prom-client (15) `Registry` the verifier uses: prom-client's default `register`
 * and any `new Registry()` fit. Stated structurally so that the verifier's types need no
 * prom-client when metrics are off (prom-client is an optional peer dependency, loaded only when
 * `metrics` is set) and do not tie an application to the verifier's copy of prom-client.
 */
export interface MetricsRegistry {
  registerMetric(metric: never): void;
  getSingleMetric(name: string): unknown;
  removeSingleMetric(name: string): void;
}

/** Metrics settings: the verifier registers its metrics in the registry you give. */
export interface VerifierMetricsOptions {
  /** A prom-client `Registry` (for example prom-client's default `register`). Required. */
  readonly registry: MetricsRegistry;
  /** Prefix of every metric name. Default `revocation_verifier_`. */
  readonly prefix?: string | undefined;
}

/** Options of {@link createVerifier} whatever the issuers. */
export interface CommonVerifierOptions {
  /**
   * Where revocation events come from: a factory the verifier calls once with its logger, clock
   * and tolerance, e.g. `kafkaRevocations({ brokers })` from `@revocation-fabric/verifier/kafka`.
   * Required.
   */
  readonly revocations: RevocationFeedFactory;
  /**
   * The clock, in ms since the epoch, read by every time-dependent decision: jose's `exp`/`nbf`
   * checks, the blocklist's forget times, the cache, staleness and the feed's contact times.
   * Default `() => Date.now()`.
   */
  readonly now?: (() => number) | undefined;
  /** Tolerance granted on `exp`, `nbf` and `iat`, in ms. Default 5000. */
  readonly clockToleranceMs?: number | undefined;
  /**
   * Longest token lifetime (`exp − iat`) accepted, in ms, for every issuer that does not set
   * its own; longer-lived tokens are CLAIM_INVALID. Rules are forgotten one such lifetime
   * (+ tolerance) after their event, so this must not exceed the lifetime the revocation topic's
   * retention was sized for. Default 900000 (15 minutes).
   */
  readonly maxTokenLifetimeMs?: number | undefined;
  /**
   * What to do once the broker has been silent for `maxStalenessMs`: `'closed'` rejects every
   * token with STALE (503); `'open'` keeps accepting tokens the blocklist does not reject, and
   * reports `stale: true` in stats and metrics. Default `'closed'`.
   */
  readonly onStale?: 'open' | 'closed' | undefined;
  /** Time without broker contact after which the verifier is stale, in ms. Default 30000. */
  readonly maxStalenessMs?: number | undefined;
  /** Verified-token cache capacity, in entries; 0 disables the cache. Default 10000. */
  readonly cacheSize?: number | undefined;
  /** Where the verifier logs (pino-compatible). Default: nowhere. */
  readonly logger?: VerifierLogger | undefined;
  /** Prometheus metrics. Default: none (prom-client is then never loaded). */
  readonly metrics?: VerifierMetricsOptions | undefined;
}

/**
 * Options of a verifier that trusts one issuer: its fields sit beside the common ones.
 *
 * @example
 * ```ts
 * createVerifier({ issuer, audience: 'game', algorithms: ['ES256'], jwks: { url }, revocations });
 * ```
 */
export interface SingleIssuerVerifierOptions extends CommonVerifierOptions, TrustedIssuer {
  readonly issuers?: undefined;
}

/**
 * Options of a verifier that trusts several issuers (the user-service and the team's OIDC
 * provider, say). Each token is verified against the issuer its `iss` names, with that
 * issuer's keys, algorithms, audience, lifetime and claim mapping.
 *
 * @example
 * ```ts
 * createVerifier({ issuers: [ours, keycloak], revocations });
 * ```
 */
export interface MultiIssuerVerifierOptions extends CommonVerifierOptions {
  /** The trusted issuers, each `iss` once. Required. */
  readonly issuers: readonly [TrustedIssuer, ...TrustedIssuer[]];
  readonly issuer?: undefined;
  readonly audience?: undefined;
  readonly algorithms?: undefined;
  readonly jwks?: undefined;
  readonly claims?: undefined;
}

/**
 * Options of {@link createVerifier}: one issuer's fields at the top level, or `issuers`; the
 * union makes giving both a type error.
 */
export type VerifierOptions = SingleIssuerVerifierOptions | MultiIssuerVerifierOptions;

/** Default `maxTokenLifetimeMs`: 15 minutes. */
export const DEFAULT_MAX_TOKEN_LIFETIME_MS = 15 * 60_000;
/** Default `maxStalenessMs`: 30 s. */
export const DEFAULT_MAX_STALENESS_MS = 30_000;
/** Default `cacheSize`: 10000 entries. */
export const DEFAULT_CACHE_SIZE = 10_000;
/** Default metric name prefix. */
export const DEFAULT_METRICS_PREFIX = 'revocation_verifier_';

/** {@link VerifierOptions} with every default filled in. */
export interface ResolvedVerifierOptions {
  /** The trusted issuers, at least one, each `iss` once. */
  readonly issuers: readonly ResolvedIssuer[];
  readonly revocations: RevocationFeedFactory;
  readonly now: () => number;
  readonly clockToleranceMs: number;
  readonly onStale: 'open' | 'closed';
  readonly maxStalenessMs: number;
  readonly cacheSize: number;
  readonly logger: VerifierLogger;
  readonly metrics: { readonly registry: MetricsRegistry; readonly prefix: string } | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateFunction<F extends (...args: never[]) => unknown>(
  value: unknown,
  name: string,
  what: string,
): F {
  if (typeof value !== 'function')
    throw new TypeError(`${name} must be ${what}, got ${describe(value)}`);
  return value as F;
}

function validateLogger(value: unknown): VerifierLogger {
  if (value === undefined) return silentLogger;
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (!isObject(value) || !methods.every((m) => typeof value[m] === 'function')) {
    throw new TypeError('logger must have debug, info, warn and error methods');
  }
  return value as unknown as VerifierLogger;
}

function validateMetrics(value: unknown): ResolvedVerifierOptions['metrics'] {
  if (value === undefined) return undefined;
  if (
    !isObject(value) ||
    !isObject(value.registry) ||
    typeof value.registry.registerMetric !== 'function'
  ) {
    throw new TypeError('metrics.registry must be a prom-client Registry');
  }
  const prefix = validateOptionalString(value.prefix, DEFAULT_METRICS_PREFIX, 'metrics.prefix');
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw new TypeError(
      `metrics.prefix must be a valid Prometheus metric name prefix, got ${describe(prefix)}`,
    );
  }
  return { registry: value.registry as unknown as MetricsRegistry, prefix };
}

/**
 * Checks every option once and fills in the defaults.
 *
 * @throws TypeError naming the first option at fault.
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  if (!isObject(options)) throw new TypeError('options must be an object');
  const maxTokenLifetimeMs = validateDuration(
    options.maxTokenLifetimeMs,
    DEFAULT_MAX_TOKEN_LIFETIME_MS,
    'maxTokenLifetimeMs',
    1_000,
  );
  let issuers: readonly ResolvedIssuer[];
  if (options.issuers === undefined) {
    issuers = [resolveIssuer(options, '', maxTokenLifetimeMs)];
  } else {
    const single = (
      ['issuer', 'audience', 'algorithms', 'jwks', 'claims', 'authority'] as const
    ).find((name) => (options as unknown as Record<string, unknown>)[name] !== undefined);
    if (single !== undefined) {
      throw new TypeError(`${single} must not be given with issuers: set it on each issuer`);
    }
    issuers = resolveIssuers(options.issuers, maxTokenLifetimeMs);
  }
  return {
    issuers,
    revocations: validateFunction<RevocationFeedFactory>(
      options.revocations,
      'revocations',
      'a feed factory such as kafkaRevocations({ brokers })',
    ),
    now:
      options.now === undefined
        ? () => Date.now()
        : validateFunction<() => number>(
            options.now,
            'now',
            'a function returning ms since the epoch',
          ),
    clockToleranceMs: validateDuration(
      options.clockToleranceMs,
      DEFAULT_CLOCK_TOLERANCE_MS,
      'clockToleranceMs',
    ),
    onStale: validateChoice(options.onStale, ['open', 'closed'], 'closed', 'onStale'),
    maxStalenessMs: validateDuration(
      options.maxStalenessMs,
      DEFAULT_MAX_STALENESS_MS,
      'maxStalenessMs',
      1,
    ),
    cacheSize: validateInteger(options.cacheSize, DEFAULT_CACHE_SIZE, 'cacheSize'),
    logger: validateLogger(options.logger),
    metrics: validateMetrics(options.metrics),
  };
}
