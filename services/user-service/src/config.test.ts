import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';
import { configProblemLines, configProblems } from '@revocation-fabric/testkit';

const minimal = { KAFKA_BROKERS: '127.0.0.1:9092' };

const problemsOf = (env: Record<string, string>) =>
  configProblems(ConfigError, () => loadConfig(env));

describe('loadConfig', () => {
  it('defaults to SQLite, ten-minute access tokens and the standard topic', () => {
    const config = loadConfig(minimal);
    expect(config.database).toEqual({ kind: 'sqlite', path: './data/user-service.sqlite' });
    expect(config.tokens.accessTokenTtlSeconds).toBe(600);
    expect(config.tokens.maxTokenLifetimeSeconds).toBe(900);
    expect(config.kafka).toMatchObject({ brokers: ['127.0.0.1:9092'], topic: 'auth.revocations' });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ ...minimal, DATABASE_URL: 'postgres://u@db:5432/users' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/users',
      poolMax: 10,
    });
  });

  it('names every bad variable in one error', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      ACCESS_TOKEN_TTL_SECONDS: '0',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'ACCESS_TOKEN_TTL_SECONDS',
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'PORT',
    ]);
    expect(problems.find((p) => p.variable === 'PORT')?.message).toContain('"eighty"');
  });

  it('never echoes a secret back', () => {
    const [problem] = problemsOf({ ...minimal, KEY_ENCRYPTION_KEY: 'c2hvcnQ=' });
    expect(problem?.variable).toBe('KEY_ENCRYPTION_KEY');
    expect(problem?.message).not.toContain('c2hvcnQ=');
  });

  it('requires a key-encryption key and an issuer in production', () => {
    const problems = problemsOf({ ...minimal, NODE_ENV: 'production' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['ISSUER', 'KEY_ENCRYPTION_KEY']);
  });

  it('refuses a token lifetime longer than the maximum verifiers accept', () => {
    const problems = problemsOf({
      ...minimal,
      ACCESS_TOKEN_TTL_SECONDS: '900',
      MAX_TOKEN_LIFETIME_SECONDS: '600',
    });
    expect(problems.map((p) => p.variable)).toEqual(['MAX_TOKEN_LIFETIME_SECONDS']);
  });

  it('ends sessions 30 days after sign-in by default', () => {
    expect(loadConfig(minimal).tokens.maxSessionLifetimeSeconds).toBe(2_592_000);
    expect(
      loadConfig({ ...minimal, SESSION_MAX_LIFETIME_SECONDS: '43200' }).tokens
        .maxSessionLifetimeSeconds,
    ).toBe(43_200);
  });

  it.each([
    ['non-numeric', '30d', /integer/],
    ['zero', '0', />=\s*1|too small/i],
    ['negative', '-3600', />=\s*1|too small/i],
    ['fractional', '3600.5', /integer/],
    ['beyond a year', '31536001', /<=\s*31536000|too big/i],
  ])('refuses a %s SESSION_MAX_LIFETIME_SECONDS with a typed config error', (_, value, message) => {
    const error = (() => {
      try {
        loadConfig({ ...minimal, SESSION_MAX_LIFETIME_SECONDS: value });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const { code, problems } = error as ConfigError;
    expect(code).toBe('CONFIG_INVALID');
    expect(problems.map((p) => p.variable)).toEqual(['SESSION_MAX_LIFETIME_SECONDS']);
    expect(problems[0]?.message).toMatch(message);
  });

  it('refuses a session lifetime shorter than the access-token lifetime', () => {
    const problems = problemsOf({
      ...minimal,
      ACCESS_TOKEN_TTL_SECONDS: '900',
      SESSION_MAX_LIFETIME_SECONDS: '600',
    });
    expect(problems).toEqual([
      {
        variable: 'SESSION_MAX_LIFETIME_SECONDS',
        message: 'must be ≥ ACCESS_TOKEN_TTL_SECONDS (900), in seconds',
      },
    ]);
    // Equal is allowed: every token then lives its full TTL at the session's start.
    expect(
      loadConfig({
        ...minimal,
        ACCESS_TOKEN_TTL_SECONDS: '900',
        SESSION_MAX_LIFETIME_SECONDS: '900',
      }).tokens.maxSessionLifetimeSeconds,
    ).toBe(900);
  });

  it('wants both bootstrap admin variables or neither', () => {
    expect(
      problemsOf({ ...minimal, BOOTSTRAP_ADMIN_USERNAME: 'root' }).map((p) => p.variable),
    ).toEqual(['BOOTSTRAP_ADMIN_PASSWORD']);
  });
});

describe('Kafka security variables', () => {
  const problems = (env: Record<string, string>) =>
    configProblemLines(ConfigError, () => loadConfig({ ...minimal, ...env }));

  it('leaves SASL and TLS off by default', () => {
    expect(loadConfig(minimal).kafka).toMatchObject({ sasl: undefined, tls: undefined });
  });

  it('passes SCRAM credentials and TLS through', () => {
    const config = loadConfig({
      ...minimal,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_TLS: 'true',
    });
    expect(config.kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'svc',
      password: 's3cret',
    });
    expect(config.kafka.tls).toBe(true);
  });

  it("reports the security variables' problems with the rest (rules: service-runtime)", () => {
    expect(problems({ KAFKA_SASL_PASSWORD: 'x' })).toEqual([
      'KAFKA_SASL_PASSWORD: needs KAFKA_SASL_MECHANISM',
    ]);
  });
});
