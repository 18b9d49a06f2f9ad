import { describe, expect, it } from 'vitest';
import { configProblemLines } from '@revocation-fabric/testkit';
import { ConfigError, loadConfig } from './config.js';

const minimal = { ISSUER: 'http://localhost:3000', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('loadConfig', () => {
  it('fills in defaults around the two required variables', () => {
    const config = loadConfig({ ...minimal, PORT: '4001' });
    expect(config).toMatchObject({
      instanceId: expect.stringMatching(/^game-.+-4001$/),
      http: { host: '0.0.0.0', port: 4001, corsOrigins: [] },
      auth: {
        issuer: 'http://localhost:3000',
        audience: 'revocation-fabric',
        jwksUrl: 'http://localhost:3000/.well-known/jwks.json',
        onStale: 'closed',
      },
      kafka: { brokers: ['127.0.0.1:9092'], topic: 'auth.revocations' },
      game: { boardSize: 6 },
    });
    expect(config.kafka.snapshotDirectory).toBeUndefined();
  });

  it('keeps verifier snapshots where REVOCATION_SNAPSHOT_DIR says; empty means none', () => {
    const dir = '/var/cache/revocations';
    expect(loadConfig({ ...minimal, REVOCATION_SNAPSHOT_DIR: dir }).kafka.snapshotDirectory).toBe(
      dir,
    );
    expect(
      loadConfig({ ...minimal, REVOCATION_SNAPSHOT_DIR: '' }).kafka.snapshotDirectory,
    ).toBeUndefined();
  });

  it('keeps the issuer exactly as given, since tokens are compared byte for byte', () => {
    const config = loadConfig({ ...minimal, ISSUER: 'https://auth.example/' });
    expect(config.auth.issuer).toBe('https://auth.example/');
    expect(config.auth.jwksUrl).toBe('https://auth.example/.well-known/jwks.json');
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ KAFKA_BROKERS: 'nohost', PORT: 'x', ON_STALE: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'ISSUER',
        'KAFKA_BROKERS',
        'ON_STALE',
        'PORT',
      ]);
    }
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

describe('OIDC issuer variables', () => {
  const keycloak = {
    OIDC_ISSUER: 'http://127.0.0.1:8080/realms/game',
    OIDC_AUDIENCE: 'account',
    OIDC_JWKS_URL: 'http://127.0.0.1:8080/realms/game/protocol/openid-connect/certs',
  };

  it('trusts no second issuer unless OIDC_ISSUER is set', () => {
    expect(loadConfig(minimal).auth.oidc).toBeUndefined();
  });

  it('reads the provider with its defaults and claim paths', () => {
    const config = loadConfig({ ...minimal, ...keycloak, OIDC_ROLES_CLAIM: 'realm_access.roles' });
    expect(config.auth.oidc).toEqual({
      issuer: keycloak.OIDC_ISSUER,
      audience: 'account',
      jwksUrl: keycloak.OIDC_JWKS_URL,
      algorithms: ['RS256'],
      maxTokenLifetimeSeconds: 900,
      sidClaim: 'sid',
      rolesClaim: 'realm_access.roles',
      revocationTopic: 'auth.revocations.gateway',
    });
  });

  it('names what a half-set provider lacks, and what is set without a provider', () => {
    const half = () => loadConfig({ ...minimal, OIDC_ISSUER: keycloak.OIDC_ISSUER });
    expect(half).toThrow(ConfigError);
    try {
      half();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
        'OIDC_AUDIENCE',
        'OIDC_JWKS_URL',
      ]);
    }
    try {
      loadConfig({ ...minimal, OIDC_AUDIENCE: 'account' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        { variable: 'OIDC_AUDIENCE', message: 'needs OIDC_ISSUER' },
      ]);
    }
    expect(() => loadConfig({ ...minimal, ...keycloak, OIDC_ALGORITHMS: 'HS256' })).toThrow(
      /OIDC_ALGORITHMS/,
    );
  });
});
