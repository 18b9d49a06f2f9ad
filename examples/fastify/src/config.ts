/**
 * The service's settings, read once from the environment. A bad value stops the start with a
 * message naming the variable.
 */

export interface Config {
  /** Where to listen. */
  readonly host: string;
  readonly port: number;
  /** The user-service: `iss` of the tokens to accept. */
  readonly issuer: string;
  /** `aud` the tokens must name. */
  readonly audience: string;
  /** The issuer's public keys. */
  readonly jwksUrl: string;
  /** The revocation topic's brokers and name. */
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly logLevel: string;
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new TypeError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').filter((broker) => broker !== '');
  if (brokers.length === 0) throw new TypeError('KAFKA_BROKERS is required, e.g. 127.0.0.1:9092');
  const issuer = env['ISSUER'] ?? 'http://127.0.0.1:3000';
  return {
    host: env['HOST'] ?? '127.0.0.1',
    port: port(env['PORT'], 4300),
    issuer,
    audience: env['AUDIENCE'] ?? 'revocation-fabric',
    jwksUrl: env['JWKS_URL'] ?? `${issuer}/.well-known/jwks.json`,
    brokers,
    topic: env['REVOCATION_TOPIC'] ?? 'auth.revocations',
    logLevel: env['LOG_LEVEL'] ?? 'info',
  };
}
