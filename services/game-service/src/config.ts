/**
 * Environment variables → a typed, validated configuration, checked once at start. A bad value
 * stops the service with a message naming every variable at fault.
 */
import { hostname } from 'node:os';
import {
  ConfigError,
  kafkaSecurity,
  httpUrlVariable,
  integerVariable,
  kafkaSecurityVariables,
  listVariable,
  loadEnvironment,
  logLevelVariable,
  GATEWAY_REVOCATION_TOPIC,
  revocationTopicVariables,
} from '@revocation-fabric/service-runtime';
import type {
  ConfigProblem,
  Environment,
  EnvironmentValues,
  KafkaSaslConfig,
  KafkaTlsConfig,
} from '@revocation-fabric/service-runtime';
import { z } from 'zod';

export { ConfigError } from '@revocation-fabric/service-runtime';
export type { Environment } from '@revocation-fabric/service-runtime';

/** An OIDC provider whose access tokens the game-service accepts beside the user-service's. */
export interface OidcIssuerConfig {
  /** The provider's `iss`, exactly as its tokens carry it (`OIDC_ISSUER`). */
  readonly issuer: string;
  /** Accepted `aud` (`OIDC_AUDIENCE`); Keycloak's access tokens name `account` by default. */
  readonly audience: string;
  /** The provider's JWK Set (`OIDC_JWKS_URL`; Keycloak: `<issuer>/protocol/openid-connect/certs`). */
  readonly jwksUrl: string;
  /** Accepted algorithms (`OIDC_ALGORITHMS`). Default `RS256`. */
  readonly algorithms: readonly ('RS256' | 'PS256' | 'ES256' | 'EdDSA')[];
  /** Longest accepted token lifetime, in seconds (`OIDC_MAX_TOKEN_LIFETIME_SECONDS`). Default 900. */
  readonly maxTokenLifetimeSeconds: number;
  /** Claim with the session id (`OIDC_SID_CLAIM`). Default `sid`. */
  readonly sidClaim: string;
  /** Dotted path of the roles (`OIDC_ROLES_CLAIM`; Keycloak: `realm_access.roles`). Default `roles`. */
  readonly rolesClaim: string;
  /**
   * The topic the revocation gateway writes this provider's rules to
   * (`OIDC_REVOCATION_TOPIC`). Default `auth.revocations.gateway`. Its rules are accepted from
   * there only, and never as brakes.
   */
  readonly revocationTopic: string;
}

/** The validated configuration of one game-service instance. */
export interface GameServiceConfig {
  /** Names this instance in logs, metrics and answers. Default `game-<host>-<port>`. */
  readonly instanceId: string;
  readonly http: {
    /** Listen address. Default `0.0.0.0`. */
    readonly host: string;
    /** Listen port; 0 picks a free one. Default 4000. */
    readonly port: number;
    /** Origins allowed to open sockets from a browser (CORS); empty: same origin only. Default empty. */
    readonly corsOrigins: readonly string[];
  };
  readonly auth: {
    /** The token issuer (`iss`), the user-service's base URL. Required. */
    readonly issuer: string;
    /** Accepted `aud`. Default `revocation-fabric`, the user-service's default. */
    readonly audience: string;
    /** The issuer's JWK Set. Default `<issuer>/.well-known/jwks.json`. */
    readonly jwksUrl: string;
    /** Longest accepted token lifetime, in seconds. Default 900. */
    readonly maxTokenLifetimeSeconds: number;
    /** Clock tolerance, in ms. Default 5000. */
    readonly clockToleranceMs: number;
    /** What the verifier does once the broker has been silent too long. Default `closed`. */
    readonly onStale: 'open' | 'closed';
    /** Silence after which the verifier is stale, in ms. Default 30000. */
    readonly maxStalenessMs: number;
    /**
     * A second trusted issuer: the team's OIDC provider (Keycloak, Auth0, …), whose revocations
     * reach the topic through the revocation gateway. Default none.
     */
    readonly oidc: OidcIssuerConfig | undefined;
  };
  readonly kafka: {
    /** Bootstrap brokers, `host:port`. Required. */
    readonly brokers: readonly string[];
    /** Kafka client id, and prefix of this instance's consumer group. Default `game-service`. */
    readonly clientId: string;
    /** The revocation topic. Default `auth.revocations`. */
    readonly topic: string;
    /** SASL credentials (`KAFKA_SASL_*`). Default none. */
    readonly sasl: KafkaSaslConfig | undefined;
    /** TLS (`KAFKA_TLS`, `KAFKA_TLS_CA_FILE`). Default plaintext. */
    readonly tls: KafkaTlsConfig | undefined;
    /**
     * Where the verifier keeps its blocklist snapshots (`REVOCATION_SNAPSHOT_DIR`), so a start
     * reads only the topic's tail; a node-local volume shared by the instances on a node. Default
     * none: every start replays the topic.
     */
    readonly snapshotDirectory: string | undefined;
  };
  readonly game: {
    /** Cells per side of a board. Default 6. */
    readonly boardSize: number;
    /** Shortest time between two moves of one player, in ms. Default 100. */
    readonly moveIntervalMs: number;
    /** Most rooms open at once. Default 100. */
    readonly maxRooms: number;
  };
  /** pino level. Default `info`. */
  readonly logLevel: string;
}

const integer = integerVariable;
const httpUrl = httpUrlVariable;
const list = listVariable;

/** One schema per variable, so each problem is reported under its own name. */
const variables = {
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 . _ -')
    .optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(4000),
  CORS_ORIGINS: list.default([]),
  ISSUER: httpUrl,
  AUDIENCE: z.string().min(1).max(256).default('revocation-fabric'),
  JWKS_URL: httpUrl.optional(),
  MAX_TOKEN_LIFETIME_SECONDS: integer(1, 86_400).default(900),
  CLOCK_TOLERANCE_MS: integer(0, 60_000).default(5000),
  ON_STALE: z.enum(['open', 'closed']).default('closed'),
  MAX_STALENESS_MS: integer(1, 3_600_000).default(30_000),
  OIDC_ISSUER: httpUrl.optional(),
  OIDC_AUDIENCE: z.string().min(1).max(256).optional(),
  OIDC_JWKS_URL: httpUrl.optional(),
  OIDC_ALGORITHMS: list
    .pipe(z.array(z.enum(['RS256', 'PS256', 'ES256', 'EdDSA'])).min(1, 'must list an algorithm'))
    .default(['RS256']),
  OIDC_MAX_TOKEN_LIFETIME_SECONDS: integer(1, 86_400).default(900),
  OIDC_SID_CLAIM: z.string().min(1).max(128).default('sid'),
  OIDC_REVOCATION_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a valid Kafka topic name')
    .default(GATEWAY_REVOCATION_TOPIC),
  OIDC_ROLES_CLAIM: z
    .string()
    .regex(/^[^.]+(\.[^.]+)*$/, 'must be a dotted claim path')
    .default('roles'),
  ...revocationTopicVariables('game-service'),
  REVOCATION_SNAPSHOT_DIR: z.string().min(1).max(4096).optional(),
  ...kafkaSecurityVariables,
  BOARD_SIZE: integer(2, 32).default(6),
  MOVE_INTERVAL_MS: integer(0, 60_000).default(100),
  MAX_ROOMS: integer(1, 100_000).default(100),
  LOG_LEVEL: logLevelVariable,
} satisfies Record<string, z.ZodType>;

/**
 * Reads and validates the configuration.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 * @throws {@link ConfigError} naming every bad variable.
 */
export function loadConfig(env: Environment = process.env): GameServiceConfig {
  const v = loadEnvironment(variables, env, { secrets: /PASSWORD/ });
  const problems: ConfigProblem[] = [];
  const kafkaAuth = kafkaSecurity(v, problems);
  const oidc = oidcIssuer(v, problems);
  if (problems.length > 0) throw new ConfigError({ problems });
  const issuer = v.ISSUER;
  return {
    instanceId: v.INSTANCE_ID ?? `game-${hostname()}-${v.PORT}`,
    http: { host: v.HOST, port: v.PORT, corsOrigins: v.CORS_ORIGINS },
    auth: {
      // Compared byte for byte with the tokens' `iss`: kept exactly as given.
      issuer,
      audience: v.AUDIENCE,
      jwksUrl: v.JWKS_URL ?? `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
      maxTokenLifetimeSeconds: v.MAX_TOKEN_LIFETIME_SECONDS,
      clockToleranceMs: v.CLOCK_TOLERANCE_MS,
      onStale: v.ON_STALE,
      maxStalenessMs: v.MAX_STALENESS_MS,
      oidc,
    },
    kafka: {
      brokers: v.KAFKA_BROKERS,
      clientId: v.KAFKA_CLIENT_ID,
      topic: v.REVOCATION_TOPIC,
      sasl: kafkaAuth.sasl,
      tls: kafkaAuth.tls,
      snapshotDirectory: v.REVOCATION_SNAPSHOT_DIR,
    },
    game: { boardSize: v.BOARD_SIZE, moveIntervalMs: v.MOVE_INTERVAL_MS, maxRooms: v.MAX_ROOMS },
    logLevel: v.LOG_LEVEL,
  };
}

/** The OIDC issuer's variables: all or nothing beyond the defaults, so a half-set one is named. */
function oidcIssuer(
  v: EnvironmentValues<typeof variables>,
  problems: ConfigProblem[],
): OidcIssuerConfig | undefined {
  if (v.OIDC_ISSUER === undefined) {
    for (const name of ['OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const) {
      if (v[name] !== undefined) problems.push({ variable: name, message: 'needs OIDC_ISSUER' });
    }
    return undefined;
  }
  if (v.OIDC_AUDIENCE === undefined) {
    problems.push({ variable: 'OIDC_AUDIENCE', message: 'is required with OIDC_ISSUER' });
  }
  if (v.OIDC_JWKS_URL === undefined) {
    problems.push({ variable: 'OIDC_JWKS_URL', message: 'is required with OIDC_ISSUER' });
  }
  if (v.OIDC_AUDIENCE === undefined || v.OIDC_JWKS_URL === undefined) return undefined;
  return {
    issuer: v.OIDC_ISSUER,
    audience: v.OIDC_AUDIENCE,
    jwksUrl: v.OIDC_JWKS_URL,
    algorithms: v.OIDC_ALGORITHMS,
    maxTokenLifetimeSeconds: v.OIDC_MAX_TOKEN_LIFETIME_SECONDS,
    sidClaim: v.OIDC_SID_CLAIM,
    rolesClaim: v.OIDC_ROLES_CLAIM,
    revocationTopic: v.OIDC_REVOCATION_TOPIC,
  };
}
