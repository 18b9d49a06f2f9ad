import { describe, expect, it } from 'vitest';
import { loadEnvironment } from '@revocation-fabric/service-runtime';
import { databaseConfig, databaseVariables, issuerOutboxConfig } from './standard-variables.js';

const variables = databaseVariables('./data/issuer.sqlite');

describe('the database variables', () => {
  it('name the SQLite file unless DATABASE_URL names a PostgreSQL server', () => {
    expect(databaseConfig(loadEnvironment(variables, {}))).toEqual({
      kind: 'sqlite',
      path: './data/issuer.sqlite',
    });
    expect(
      databaseConfig(
        loadEnvironment(variables, {
          DATABASE_URL: 'postgres://db.test/issuer',
          DATABASE_POOL_MAX: '4',
        }),
      ),
    ).toEqual({ kind: 'postgres', url: 'postgres://db.test/issuer', poolMax: 4 });
  });

  it('refuse a DATABASE_URL that is not a PostgreSQL URL, naming the variable', () => {
    expect(() => loadEnvironment(variables, { DATABASE_URL: 'mysql://db.test/x' })).toThrow(
      /DATABASE_URL/,
    );
  });
});

describe('issuerOutboxConfig', () => {
  it('reads the relay timings in milliseconds', () => {
    expect(
      issuerOutboxConfig({
        OUTBOX_POLL_INTERVAL_MS: 500,
        OUTBOX_MAX_RETRY_DELAY_MS: 30_000,
        OUTBOX_RETENTION_MS: 86_400_000,
      }),
    ).toEqual({ pollIntervalMs: 500, maxRetryDelayMs: 30_000, retentionMs: 86_400_000 });
  });
});
