/**
 * The service's settings, read once from the environment. A bad value stops the start with a
 * message naming the variable.
 */

export interface Config {
  readonly host: string;
  readonly port: number;
  /** `iss` of this service's tokens, and so of its revocation events. */
  readonly issuer: string;
  /** `aud` of its tokens. */
  readonly audience: string;
  /** Access-token lifetime, seconds. */
  readonly accessTokenTtlSeconds: number;
  /** This service's own PostgreSQL database (accounts, sessions, keys, the outbox). */
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly logLevel: string;
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new TypeError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').filter((broker) => broker !== '');
  if (brokers.length === 0) throw new TypeError('KAFKA_BROKERS is required, e.g. 127.0.0.1:9092');
  const databaseUrl = env['DATABASE_URL'];
  if (databaseUrl === undefined || databaseUrl === '') {
    throw new TypeError(
      'DATABASE_URL is required, e.g. postgres://postgres@127.0.0.1:5432/own_issuer',
    );
  }
  const host = env['HOST'] ?? '127.0.0.1';
  const port = integer('PORT', env['PORT'], 4400, 1, 65_535);
  return {
    host,
    port,
    issuer: env['ISSUER'] ?? `http://${host}:${port}`,
    audience: env['AUDIENCE'] ?? 'example-api',
    accessTokenTtlSeconds: integer(
      'ACCESS_TOKEN_TTL_SECONDS',
      env['ACCESS_TOKEN_TTL_SECONDS'],
      300,
      1,
      900,
    ),
    databaseUrl,
    brokers,
    topic: env['REVOCATION_TOPIC'] ?? 'auth.revocations',
    logLevel: env['LOG_LEVEL'] ?? 'info',
  };
}
