/**
 * Environment variables → a typed, validated configuration. Checked once at start; a bad value
 * stops the service with a message naming the variable.
 */
import {
  ConfigError,
  httpUrlVariable,
  integerVariable,
  loadEnvironment,
  logLevelVariable,
} from '@revocation-fabric/service-runtime';
import type { ConfigProblem, Environment } from '@revocation-fabric/service-runtime';
import { issuerSettings, issuerVariables } from '@revocation-fabric/issuer-kit';
import type { IssuerSettings } from '@revocation-fabric/issuer-kit';
import { z } from 'zod';

export type { Environment } from '@revocation-fabric/service-runtime';

/** Where the data lives: an embedded SQLite file or a PostgreSQL server. */
export type { DatabaseConfig } from '@revocation-fabric/issuer-kit';

/**
 * The validated configuration of one user-service instance. Its write path (`database`,
 * `kafka`, `outbox`) comes from the issuer kit's standard variables (Kafka client id default
 * `user-service`); the relay sends 100 events per Kafka send by default (`OUTBOX_BATCH_SIZE`).
 */
export interface UserServiceConfig extends IssuerSettings {
  /** `NODE_ENV`; `production` makes `KEY_ENCRYPTION_KEY` and `ISSUER` mandatory. */
  readonly environment: 'production' | 'development' | 'test';
  readonly http: {
    /** Listen address. Default `0.0.0.0`. */
    readonly host: string;
    /** Listen port; 0 picks a free one. Default 3000. */
    readonly port: number;
    /** Express `trust proxy` setting, deciding which address login throttling sees. Default false. */
    readonly trustProxy: boolean | number | string;
    /** Largest accepted request body, in bytes. Default 16 KiB. */
    readonly bodyLimitBytes: number;
  };
  readonly tokens: {
    /** `iss` of every token and event. */
    readonly issuer: string;
    /** `aud` of every access token. */
    readonly audience: string;
    /** Access-token lifetime in seconds. Default 600 (10 min). */
    readonly accessTokenTtlSeconds: number;
    /**
     * The longest access-token lifetime verifiers accept, in seconds (≥ the TTL). Retired keys stay
     * published this long, and the revocation topic keeps events twice as long. Default 900.
     */
    readonly maxTokenLifetimeSeconds: number;
    /** Refresh-token lifetime in seconds; every use rotates it and restarts the clock. Default 14 days. */
    readonly refreshTokenTtlSeconds: number;
    /**
     * Absolute session lifetime in seconds (`SESSION_MAX_LIFETIME_SECONDS`): a session ends this
     * long after its `auth_time` (the login, or the last password change, that proved the
     * password), however often it was refreshed. No access or refresh token of a session
     * outlives its end, and a refresh after it is refused with `SESSION_EXPIRED`. At least the
     * access-token TTL, at most 365 days. Default 30 days (2 592 000).
     */
    readonly maxSessionLifetimeSeconds: number;
    /** Clock tolerance in ms, added to every "until expired" window. Default 5000. */
    readonly clockToleranceMs: number;
  };
  readonly keys: {
    /** 32-byte key-encryption key for private signing keys at rest; required in production. */
    readonly encryptionKey: Buffer | undefined;
    /** Rotate the signing key when the active one is older than this, in seconds; 0 = never. Default 0. */
    readonly rotationIntervalSeconds: number;
  };
  readonly outbox: IssuerSettings['outbox'] & { readonly batchSize: number };
  readonly login: {
    /** Failed logins per account within the window before logins are refused. Default 5. */
    readonly maxFailuresPerAccount: number;
    /** Failed logins per client address within the window. Default 50. */
    readonly maxFailuresPerAddress: number;
    /** Throttling window in seconds. Default 900. */
    readonly windowSeconds: number;
  };
  /** pino level. Default `info`. */
  readonly logLevel: string;
  /** A first admin account, created at start if its username is free. */
  readonly bootstrapAdmin: { readonly username: string; readonly password: string } | undefined;
}

const integer = integerVariable;
const httpUrl = httpUrlVariable;

/** One schema per variable, so each problem is reported under its own name. */
const variables = {
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(3000),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): boolean | number | string => {
      if (v === undefined || v === '' || v === 'false') return false;
      if (v === 'true') return true;
      return /^\d+$/.test(v) ? Number(v) : v;
    }),
  BODY_LIMIT_BYTES: integer(256, 1_048_576).default(16_384),
  ISSUER: httpUrl.optional(),
  AUDIENCE: z.string().min(1).max(256).default('revocation-fabric'),
  ACCESS_TOKEN_TTL_SECONDS: integer(1, 3600).default(600),
  MAX_TOKEN_LIFETIME_SECONDS: integer(1, 86_400).optional(),
  REFRESH_TOKEN_TTL_SECONDS: integer(60, 31_536_000).default(1_209_600),
  SESSION_MAX_LIFETIME_SECONDS: integer(1, 31_536_000).default(2_592_000),
  CLOCK_TOLERANCE_MS: integer(0, 60_000).default(5000),
  KEY_ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const key = Buffer.from(v, 'base64');
      if (key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'must be 32 bytes, base64-encoded' });
        return z.NEVER;
      }
      return key;
    }),
  KEY_ROTATION_INTERVAL_SECONDS: integer(0, 31_536_000).default(0),
  ...issuerVariables({ clientId: 'user-service', sqlitePath: './data/user-service.sqlite' }),
  OUTBOX_BATCH_SIZE: integer(1, 1000).default(100),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: integer(1, 1000).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: integer(1, 100_000).default(50),
  LOGIN_THROTTLE_WINDOW_SECONDS: integer(1, 86_400).default(900),
  LOG_LEVEL: logLevelVariable,
  BOOTSTRAP_ADMIN_USERNAME: z.string().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
} satisfies Record<string, z.ZodType>;

/** Secrets are never echoed back in an error message. */
const SECRET_VARIABLES = /KEY|PASSWORD|DATABASE_URL/;

/**
 * Reads and validates the configuration.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 * @throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: Environment = process.env): UserServiceConfig {
  const v = loadEnvironment(variables, env, { secrets: SECRET_VARIABLES });

  // Rules across variables, checked once each variable is valid on its own.
  const problems: ConfigProblem[] = [];
  const maxLifetime = v.MAX_TOKEN_LIFETIME_SECONDS ?? Math.max(900, v.ACCESS_TOKEN_TTL_SECONDS);
  if (maxLifetime < v.ACCESS_TOKEN_TTL_SECONDS) {
    problems.push({
      variable: 'MAX_TOKEN_LIFETIME_SECONDS',
      message: `must be ≥ ACCESS_TOKEN_TTL_SECONDS (${v.ACCESS_TOKEN_TTL_SECONDS})`,
    });
  }
  // A shorter session would cut every access token short of its TTL: surely a unit mistake.
  if (v.SESSION_MAX_LIFETIME_SECONDS < v.ACCESS_TOKEN_TTL_SECONDS) {
    problems.push({
      variable: 'SESSION_MAX_LIFETIME_SECONDS',
      message: `must be ≥ ACCESS_TOKEN_TTL_SECONDS (${v.ACCESS_TOKEN_TTL_SECONDS}), in seconds`,
    });
  }
  if (v.NODE_ENV === 'production' && v.KEY_ENCRYPTION_KEY === undefined) {
    problems.push({
      variable: 'KEY_ENCRYPTION_KEY',
      message: 'is required when NODE_ENV=production (32 random bytes, base64)',
    });
  }
  if (v.NODE_ENV === 'production' && v.ISSUER === undefined) {
    problems.push({ variable: 'ISSUER', message: 'is required when NODE_ENV=production' });
  }
  const adminName = v.BOOTSTRAP_ADMIN_USERNAME;
  const adminPassword = v.BOOTSTRAP_ADMIN_PASSWORD;
  if ((adminName === undefined) !== (adminPassword === undefined)) {
    problems.push({
      variable: adminName === undefined ? 'BOOTSTRAP_ADMIN_USERNAME' : 'BOOTSTRAP_ADMIN_PASSWORD',
      message: 'BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD go together',
    });
  }
  const writePath = issuerSettings(v, problems);
  if (problems.length > 0) throw new ConfigError({ problems });

  return {
    ...writePath,
    environment: v.NODE_ENV,
    http: {
      host: v.HOST,
      port: v.PORT,
      trustProxy: v.TRUST_PROXY,
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
    },
    tokens: {
      issuer: v.ISSUER ?? `http://localhost:${v.PORT}`,
      audience: v.AUDIENCE,
      accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
      maxTokenLifetimeSeconds: maxLifetime,
      refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
      maxSessionLifetimeSeconds: v.SESSION_MAX_LIFETIME_SECONDS,
      clockToleranceMs: v.CLOCK_TOLERANCE_MS,
    },
    keys: {
      encryptionKey: v.KEY_ENCRYPTION_KEY,
      rotationIntervalSeconds: v.KEY_ROTATION_INTERVAL_SECONDS,
    },
    outbox: { ...writePath.outbox, batchSize: v.OUTBOX_BATCH_SIZE },
    login: {
      maxFailuresPerAccount: v.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: v.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: v.LOGIN_THROTTLE_WINDOW_SECONDS,
    },
    logLevel: v.LOG_LEVEL,
    bootstrapAdmin:
      adminName === undefined || adminPassword === undefined
        ? undefined
        : { username: adminName, password: adminPassword },
  };
}
