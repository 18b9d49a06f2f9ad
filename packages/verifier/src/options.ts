import { DEFAULT_CLOCK_TOLERANCE_MS } from '@revocation-fabric/protocol';
import type { JSONWebKeySet, RemoteJWKSetOptions } from 'jose';
import type { Registry } from 'prom-client';
import { silentLogger } from './logger.js';
import type { VerifierLogger } from './logger.js';
import type { RevocationFeedFactory } from './feed.js';
import {
  describe,
  validateChoice,
  validateDuration,
  validateInteger,
  validateOptionalString,
  validateString,
} from './lib/validate.js';

/**
 * JWS algorithms a verifier may accept: asymmetric only. `none` and the HMAC family are not
 * expressible: with a shared secret every verifying service could also mint tokens.
 */
export type AsymmetricAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

const ASYMMETRIC_ALGORITHMS: ReadonlySet<string> = new Set<AsymmetricAlgorithm>([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);

/**
 * A remote key set (the issuer's `/.well-known/jwks.json`), fetched and cached by jose's
 * `createRemoteJWKSet`; the other fields are jose's options, passed through (`timeoutDuration`
 * 5000 ms, `cooldownDuration` 30000 ms, `cacheMaxAge` 600000 ms by default).
 */
export interface RemoteJwksOptions extends RemoteJWKSetOptions {
  /** The key set's URL. */
  readonly url: string | URL;
}

/** Metrics settings: the verifier registers its metrics in the registry you give. */
export interface VerifierMetricsOptions {
  /** A prom-client `Registry` (for example prom-client's default `register`). Required. */
  readonly registry: Registry;
  /** Prefix of every metric name. Default `revocation_verifier_`. */
  readonly prefix?: string | undefined;
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions {
  /** The only accepted `iss`. Revocation events of other issuers are ignored. Required. */
  readonly issuer: string;
  /** Accepted `aud` value(s): the token must name at least one. Required. */
  readonly audience: string | readonly string[];
  /** Accepted JWS algorithms, pinned; no default, so a key type change is a deliberate act. Required. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /** Where verification keys come from: `{ url, …jose remote options }` or a JWK Set `{ keys: [...] }`. Required. */
  readonly jwks: RemoteJwksOptions | JSONWebKeySet;
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
   * Longest token lifetime (`exp − iat`) accepted, in ms; longer-lived tokens are
   * CLAIM_INVALID. Rules are forgotten one such lifetime (+ tolerance) after their event, so
   * this must not exceed the lifetime the revocation topic's retention was sized for.
   * Default 900000 (15 minutes).
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
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms: readonly AsymmetricAlgorithm[];
  readonly jwks:
    { readonly url: URL; readonly remote: RemoteJWKSetOptions } | { readonly keys: JSONWebKeySet };
  readonly revocations: RevocationFeedFactory;
  readonly now: () => number;
  readonly clockToleranceMs: number;
  readonly maxTokenLifetimeMs: number;
  readonly onStale: 'open' | 'closed';
  readonly maxStalenessMs: number;
  readonly cacheSize: number;
  readonly logger: VerifierLogger;
  readonly metrics: { readonly registry: Registry; readonly prefix: string } | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateAudience(value: unknown): string | readonly string[] {
  if (typeof value === 'string' && value.length > 0) return value;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v.length > 0)
  ) {
    return Object.freeze([...(value as string[])]);
  }
  throw new TypeError(
    `audience must be a non-empty string or array of strings, got ${describe(value)}`,
  );
}

function validateAlgorithms(value: unknown): readonly AsymmetricAlgorithm[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`algorithms must be a non-empty array, got ${describe(value)}`);
  }
  for (const alg of value) {
    if (typeof alg !== 'string' || !ASYMMETRIC_ALGORITHMS.has(alg)) {
      throw new TypeError(
        `algorithms: ${describe(alg)} is not allowed; use asymmetric algorithms only (${[...ASYMMETRIC_ALGORITHMS].join(', ')})`,
      );
    }
  }
  return Object.freeze([...(value as AsymmetricAlgorithm[])]);
}

function validateJwks(value: unknown): ResolvedVerifierOptions['jwks'] {
  if (!isObject(value))
    throw new TypeError(`jwks must be { url } or a JWK Set { keys }, got ${describe(value)}`);
  if ('url' in value) {
    const { url, ...remote } = value as unknown as RemoteJwksOptions;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new TypeError(`jwks.url must be an absolute URL, got ${describe(String(url))}`, {
        cause,
      });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new TypeError(`jwks.url must be an http(s) URL, got ${describe(parsed.href)}`);
    }
    return { url: parsed, remote };
  }
  if (!Array.isArray(value.keys) || !value.keys.every(isObject)) {
    throw new TypeError('jwks.keys must be an array of JWKs');
  }
  return { keys: value as unknown as JSONWebKeySet };
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
  return { registry: value.registry as unknown as Registry, prefix };
}

/**
 * Checks every option once and fills in the defaults.
 *
 * @throws TypeError naming the first option at fault.
 */
export function resolveVerifierOptions(options: VerifierOptions): ResolvedVerifierOptions {
  if (!isObject(options)) throw new TypeError('options must be an object');
  return {
    issuer: validateString(options.issuer, 'issuer'),
    audience: validateAudience(options.audience),
    algorithms: validateAlgorithms(options.algorithms),
    jwks: validateJwks(options.jwks),
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
    maxTokenLifetimeMs: validateDuration(
      options.maxTokenLifetimeMs,
      DEFAULT_MAX_TOKEN_LIFETIME_MS,
      'maxTokenLifetimeMs',
      1_000,
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
