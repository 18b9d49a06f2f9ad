import { describe, expect, it } from 'vitest';
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
