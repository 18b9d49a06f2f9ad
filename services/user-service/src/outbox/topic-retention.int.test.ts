/**
 * The user-service refuses to start on a revocation topic that would delete rules while its
 * tokens are still valid, judged by its longest token lifetime (MAX_TOKEN_LIFETIME_SECONDS),
 * not the access-token TTL.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopicRetentionTooShortError } from '@revocation-fabric/protocol';
import { createTopic, uniqueTopic } from '@revocation-fabric/testkit';
import { loadConfig } from '../config.js';
import { createUserService } from '../service.js';
import { createTestDatabase, kafkaBrokers, testEnvironment } from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';

const HOUR_MS = 3_600_000;

/** A topic created beforehand with this `retention.ms`, as an operator would have. */
async function topicKeeping(retentionMs: number): Promise<string> {
  const topic = uniqueTopic('us-retention');
  await createTopic(kafkaBrokers(), {
    topic,
    partitions: 3,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact,delete' },
      { name: 'retention.ms', value: String(retentionMs) },
    ],
  });
  return topic;
}

describe('the user-service checks the retention of its revocation topic at start', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.drop();
  });

  function service(topic: string) {
    const config = loadConfig(
      testEnvironment({
        ...database.env,
        KAFKA_BROKERS: kafkaBrokers().join(','),
        REVOCATION_TOPIC: topic,
        // Access tokens live 10 min, but verifiers accept up to an hour: the topic must keep
        // rules for the hour.
        ACCESS_TOKEN_TTL_SECONDS: '600',
        MAX_TOKEN_LIFETIME_SECONDS: '3600',
        CLOCK_TOLERANCE_MS: '5000',
      }),
    );
    return createUserService(config, { logger: pino({ level: 'silent' }) });
  }

  it('fails to start on a topic that keeps events for 30 min while tokens may live an hour', async () => {
    const topic = await topicKeeping(HOUR_MS / 2);
    const refused = service(topic);
    try {
      const start = refused.start();
      await expect(start).rejects.toBeInstanceOf(TopicRetentionTooShortError);
      await expect(start).rejects.toMatchObject({
        code: 'TOPIC_RETENTION_TOO_SHORT',
        topic,
        verdict: { retentionMs: HOUR_MS / 2, requiredRetentionMs: HOUR_MS + 10_000 },
      });
      expect(refused.url).toBeUndefined();
    } finally {
      await refused.stop();
    }
  });

  it('starts on a topic that keeps events for the hour and the tolerance', async () => {
    const topic = await topicKeeping(HOUR_MS + 10_000);
    const started = service(topic);
    try {
      const url = await started.start();
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      await started.stop();
    }
  });
});
