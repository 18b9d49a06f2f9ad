/**
 * Environment variables (and the provider list, from `GATEWAY_PROVIDERS` or the JSON file named
 * by `GATEWAY_CONFIG_FILE`) → the gateway's validated configuration. A bad value stops the
 * gateway with one {@link ConfigError} naming every problem.
 */
import { readFileSync } from 'node:fs';
import {
  ConfigError,
  GATEWAY_REVOCATION_TOPIC,
  integerVariable,
  loadEnvironment,
  logLevelVariable,
} from '@revocation-fabric/service-runtime';
import type { ConfigProblem, Environment } from '@revocation-fabric/service-runtime';
import { issuerSettings, issuerVariables } from '@revocation-fabric/issuer-kit';
import type { IssuerSettings } from '@revocation-fabric/issuer-kit';
import { z } from 'zod';
import { providerListProblems, providersSchema } from './provider-config.js';
import type { ProviderConfig } from './provider-config.js';

/** Where the gateway's outbox and replay cache live. */
export type { DatabaseConfig } from '@revocation-fabric/issuer-kit';

/**
 * The validated configuration of one gateway instance. Its write path (`database`, `kafka`,
 * `outbox`) comes from the issuer kit's standard variables: Kafka client id default `gateway`
 * (the principal the broker's ACLs name), topic default `auth.revocations.gateway`.
 */
export interface GatewayConfig extends IssuerSettings {
  readonly http: {
    /** Default `0.0.0.0`. */
    readonly host: string;
    /** 0 picks a free port. Default 3300. */
    readonly port: number;
    /** Largest accepted signal body, bytes. Default 16 KiB (a logout token is ~1 KiB). */
    readonly bodyLimitBytes: number;
  };
  readonly providers: readonly ProviderConfig[];
  /** Future skew allowed on `iat`, and the protocol's cutoff tolerance, ms. Default 5000. */
  readonly clockToleranceMs: number;
  /** pino level. Default `info`. */
  readonly logLevel: string;
}

const integer = integerVariable;

const variables = {
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(3300),
  BODY_LIMIT_BYTES: integer(1024, 1_048_576).default(16_384),
  GATEWAY_PROVIDERS: z.string().optional(),
  GATEWAY_CONFIG_FILE: z.string().min(1).optional(),
  CLOCK_TOLERANCE_MS: integer(0, 60_000).default(5000),
  // Its own topic: the gateway's Kafka principal may write only this one, and verifiers accept
  // from it only the providers' rules they name (never the user-service's).
  ...issuerVariables({
    clientId: 'gateway',
    sqlitePath: './data/revocation-gateway.sqlite',
    topic: GATEWAY_REVOCATION_TOPIC,
  }),
  LOG_LEVEL: logLevelVariable,
} satisfies Record<string, z.ZodType>;

const SECRET_VARIABLES = /PASSWORD|DATABASE_URL|GATEWAY_PROVIDERS/;

/** The provider list's JSON text and the name problems are reported under. */
function providerSource(
  v: { GATEWAY_PROVIDERS: string | undefined; GATEWAY_CONFIG_FILE: string | undefined },
  problems: ConfigProblem[],
): { readonly variable: string; readonly text: string } | undefined {
  if (v.GATEWAY_PROVIDERS !== undefined && v.GATEWAY_CONFIG_FILE !== undefined) {
    problems.push({
      variable: 'GATEWAY_PROVIDERS',
      message: 'set it or GATEWAY_CONFIG_FILE, not both',
    });
    return undefined;
  }
  if (v.GATEWAY_PROVIDERS !== undefined)
    return { variable: 'GATEWAY_PROVIDERS', text: v.GATEWAY_PROVIDERS };
  if (v.GATEWAY_CONFIG_FILE === undefined) {
    problems.push({
      variable: 'GATEWAY_PROVIDERS',
      message: 'is required (a JSON array of providers), or GATEWAY_CONFIG_FILE',
    });
    return undefined;
  }
  try {
    return { variable: 'GATEWAY_CONFIG_FILE', text: readFileSync(v.GATEWAY_CONFIG_FILE, 'utf8') };
  } catch (error) {
    problems.push({
      variable: 'GATEWAY_CONFIG_FILE',
      message: `cannot be read: ${(error as Error).message}`,
    });
    return undefined;
  }
}

/**
 * Parses the provider list: a JSON array, or (in a file) `{ "providers": [...] }`. Every problem
 * is pushed to `problems`, named `VARIABLE[index].path`.
 *
 * @example
 * ```ts
 * const problems: ConfigProblem[] = [];
 * const providers = parseProviders('[{"name":"kc",…}]', 'GATEWAY_PROVIDERS', problems);
 * ```
 */
export function parseProviders(
  text: string,
  variable: string,
  problems: ConfigProblem[],
): ProviderConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push({ variable, message: 'is not valid JSON' });
    return [];
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json) && 'providers' in json) {
    json = json.providers;
  }
  const parsed = providersSchema.safeParse(json);
  const issues = [...(parsed.success ? [] : parsed.error.issues), ...providerListProblems(json)];
  for (const issue of issues) {
    const path = issue.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
    problems.push({ variable: `${variable}${path}`, message: issue.message });
  }
  return parsed.success && issues.length === 0 ? parsed.data : [];
}

/**
 * Reads and validates the configuration.
 *
 * @example
 * ```ts
 * const config = loadConfig(process.env);
 * ```
 * @throws {@link ConfigError} naming every problem.
 */
export function loadConfig(env: Environment = process.env): GatewayConfig {
  const v = loadEnvironment(variables, env, { secrets: SECRET_VARIABLES });
  const problems: ConfigProblem[] = [];
  const source = providerSource(v, problems);
  const providers =
    source === undefined ? [] : parseProviders(source.text, source.variable, problems);
  const writePath = issuerSettings(v, problems);
  if (problems.length > 0) throw new ConfigError({ problems });
  return {
    ...writePath,
    http: { host: v.HOST, port: v.PORT, bodyLimitBytes: v.BODY_LIMIT_BYTES },
    providers,
    clockToleranceMs: v.CLOCK_TOLERANCE_MS,
    logLevel: v.LOG_LEVEL,
  };
}
