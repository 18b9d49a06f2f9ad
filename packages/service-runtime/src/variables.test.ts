import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadEnvironment } from './load-environment.js';
import {
  integerVariable,
  listVariable,
  logLevelVariable,
  outboxRelayVariables,
  revocationTopicVariables,
} from './variables.js';

const table = {
  ...revocationTopicVariables('svc'),
  ...outboxRelayVariables,
  PORT: integerVariable(0, 65535).default(3000),
  ORIGINS: listVariable.default([]),
  LOG_LEVEL: logLevelVariable,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadEnvironment(table, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.variable}: ${p.message}`);
  }
}

describe('the shared variable schemas', () => {
  it('fill in the defaults every service shares', () => {
    expect(loadEnvironment(table, { KAFKA_BROKERS: ' a:9092, ,b:9093 ' })).toEqual({
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      KAFKA_CLIENT_ID: 'svc',
      REVOCATION_TOPIC: 'auth.revocations',
      REVOCATION_TOPIC_PARTITIONS: 6,
      REVOCATION_TOPIC_REPLICATION_FACTOR: 1,
      OUTBOX_POLL_INTERVAL_MS: 500,
      OUTBOX_MAX_RETRY_DELAY_MS: 30_000,
      OUTBOX_RETENTION_MS: 7 * 86_400_000,
      PORT: 3000,
      ORIGINS: [],
      LOG_LEVEL: 'info',
    });
  });

  it('name every bad value in one error', () => {
    const problems = problemsOf({
      KAFKA_BROKERS: 'nohost',
      KAFKA_CLIENT_ID: 'has space',
      REVOCATION_TOPIC: 'bad/topic',
      REVOCATION_TOPIC_PARTITIONS: '2',
      PORT: '12.5',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'KAFKA_BROKERS',
      'KAFKA_CLIENT_ID',
      'LOG_LEVEL',
      'PORT',
      'REVOCATION_TOPIC',
      'REVOCATION_TOPIC_PARTITIONS',
    ]);
    expect(problems.find((p) => p.startsWith('PORT'))).toMatch(/must be an integer/);
  });

  it('require the brokers', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^KAFKA_BROKERS: is required/)]);
  });
});
