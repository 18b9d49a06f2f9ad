/**
 * The gateway refuses to start on a revocation topic that would delete rules while its
 * providers' tokens are still valid, judged by the longest lifetime of any provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopicRetentionTooShortError } from '@revocation-fabric/protocol';
import { createTopic, uniqueTopic } from '@revocation-fabric/testkit';
import { loadConfig } from './config/load-config.js';
import { createGateway } from './gateway.js';
import { createTestDatabase, startTestGateway } from './test-support/harness.js';
import type { TestDatabase } from './test-support/harness.js';

const HOUR_MS = 3_600_000;

function brokers(): string {
  const value = process.env['KAFKA_BROKERS'];
  if (value === undefined || value === '')
    throw new Error('KAFKA_BROKERS is not set: run through the integration project');
  return value;
}

/** Two providers: tokens of one live 5 min, of the other up to an hour. */
const providers = [
  {
    name: 'short',
    issuer: 'https://short.idp.test',
    jwksUrl: 'http://127.0.0.1:9/jwks',
    algorithms: ['RS256'],
    maxTokenLifetimeMs: 300_000,
    backchannelLogout: { clientId: 'gateway' },
  },
  {
    name: 'long',
    issuer: 'https://long.idp.test',
    jwksUrl: 'http://127.0.0.1:9/jwks',
    algorithms: ['RS256'],
    maxTokenLifetimeMs: HOUR_MS,
    backchannelLogout: { clientId: 'gateway' },
  },
];

/** A topic created beforehand with this `retention.ms`, as an operator would have. */
async function topicKeeping(retentionMs: number): Promise<string> {
  const topic = uniqueTopic('gw-retention');
  await createTopic(brokers().split(','), {
    topic,
    partitions: 3,
    configEntries: [
      { name: 'cleanup.policy', value: 'delete' },
      { name: 'retention.ms', value: String(retentionMs) },
    ],
  });
  return topic;
}

describe('the gateway checks the retention of its revocation topic at start', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.drop();
  });

  const env = (topic: string) => ({
    ...database.env,
    KAFKA_BROKERS: brokers(),
    REVOCATION_TOPIC: topic,
    CLOCK_TOLERANCE_MS: '5000',
  });

  it('fails to start on a topic that keeps events for 30 min while one provider’s tokens live an hour', async () => {
    const topic = await topicKeeping(HOUR_MS / 2);
    const gateway = createGateway(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        GATEWAY_PROVIDERS: JSON.stringify(providers),
        ...env(topic),
      }),
    );
    try {
      const start = gateway.start();
      await expect(start).rejects.toBeInstanceOf(TopicRetentionTooShortError);
      await expect(start).rejects.toMatchObject({
        code: 'TOPIC_RETENTION_TOO_SHORT',
        topic,
        verdict: { retentionMs: HOUR_MS / 2, requiredRetentionMs: HOUR_MS + 10_000 },
      });
      expect(gateway.url).toBeUndefined();
    } finally {
      await gateway.stop();
    }
  });

  it('starts on a topic that keeps events for the longest lifetime and the tolerance', async () => {
    const topic = await topicKeeping(HOUR_MS + 10_000);
    const gateway = await startTestGateway(providers, env(topic));
    try {
      expect((await fetch(`${gateway.url ?? ''}/readyz`)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});
