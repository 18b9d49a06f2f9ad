/**
 * The retention check on the real broker: a publisher that creates or finds the revocation
 * topic reads its real cleanup settings back, and refuses to connect to one that would delete
 * rules while the tokens they reject are still valid (tokens here live 15 minutes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TopicRetentionTooShortError, createEvent, encodeEvent } from '@revocation-fabric/protocol';
import { createTopic, kafkaBrokers, startEventTap, uniqueTopic } from '@revocation-fabric/testkit';
import type { PublisherLogger } from '../logger.js';
import { OutboxRelay } from '../relay/outbox-relay.js';
import { createTestDatabase } from '../test-support/databases.js';
import type { TestDatabase } from '../test-support/databases.js';
import { kafkaPublisher } from './kafka-publisher.js';

const FIFTEEN_MINUTES = 15 * 60_000;

/** Creates `topic` beforehand, as an operator (or an older release) would have. */
async function existingTopic(
  name: string,
  config: Readonly<Record<string, string>>,
): Promise<string> {
  const topic = uniqueTopic(name);
  await createTopic(kafkaBrokers(), {
    topic,
    partitions: 3,
    configEntries: Object.entries(config).map(([configName, value]) => ({
      name: configName,
      value,
    })),
  });
  return topic;
}

function publisherOf(topic: string, logger?: PublisherLogger) {
  return kafkaPublisher({
    brokers: kafkaBrokers(),
    topic,
    clientId: 'publisher-retention-test',
    createTopic: { partitions: 3, maxTokenLifetimeMs: FIFTEEN_MINUTES, clockToleranceMs: 5_000 },
    ...(logger === undefined ? {} : { logger }),
  });
}

/** Publishes one session event through `publisher` and waits until a reader of the topic has it. */
async function roundTrip(publisher: ReturnType<typeof kafkaPublisher>, topic: string) {
  const event = createEvent({
    kind: 'session',
    sid: `s-${topic}`,
    reason: 'logout',
    actor: 'u',
    iss: 'https://issuer.test',
  });
  const { key, value } = encodeEvent(event);
  const tap = await startEventTap(kafkaBrokers(), topic);
  try {
    await publisher.publish([{ key, value, eventId: event.id }]);
    await tap.waitForIds([event.id], 30_000);
  } finally {
    await tap.stop();
  }
}

describe('the publisher checks the retention of the revocation topic', () => {
  it('refuses to connect to a topic that keeps events 60 s while tokens live 15 min', async () => {
    const topic = await existingTopic('retention-short', {
      'cleanup.policy': 'compact,delete',
      'retention.ms': '60000',
    });
    const publisher = publisherOf(topic);
    try {
      const refusal = publisher.connect?.();
      await expect(refusal).rejects.toBeInstanceOf(TopicRetentionTooShortError);
      await expect(refusal).rejects.toMatchObject({
        code: 'TOPIC_RETENTION_TOO_SHORT',
        topic,
        verdict: {
          sufficient: false,
          setting: 'retention.ms',
          cleanupPolicy: 'compact,delete',
          retentionMs: 60_000,
          requiredRetentionMs: FIFTEEN_MINUTES + 10_000,
        },
      });
      await expect(refusal).rejects.toThrow(
        `--entity-name ${topic} --add-config retention.ms=${2 * FIFTEEN_MINUTES + 5_000}`,
      );
    } finally {
      await publisher.close();
    }
  });

  it('refuses a delete-only topic below the minimum, and one that deletes by size', async () => {
    const short = await existingTopic('retention-delete', {
      'cleanup.policy': 'delete',
      'retention.ms': String(FIFTEEN_MINUTES),
    });
    const bySize = await existingTopic('retention-bytes', {
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(2 * FIFTEEN_MINUTES),
      'retention.bytes': '104857600',
    });
    for (const [topic, setting] of [
      [short, 'retention.ms'],
      [bySize, 'retention.bytes'],
    ] as const) {
      const publisher = publisherOf(topic);
      try {
        await expect(publisher.connect?.()).rejects.toMatchObject({
          code: 'TOPIC_RETENTION_TOO_SHORT',
          verdict: { setting },
        });
      } finally {
        await publisher.close();
      }
    }
  });

  it('connects to a topic with enough retention, to a compact-only one, and to one it creates', async () => {
    const enough = await existingTopic('retention-enough', {
      'cleanup.policy': 'compact,delete',
      'retention.ms': String(FIFTEEN_MINUTES + 10_000),
    });
    // Compaction alone never deletes by time, whatever retention.ms says.
    const compacted = await existingTopic('retention-compact', {
      'cleanup.policy': 'compact',
      'retention.ms': '60000',
    });
    const created = uniqueTopic('retention-created');
    for (const topic of [enough, compacted, created]) {
      const publisher = publisherOf(topic);
      try {
        await publisher.connect?.();
        await roundTrip(publisher, topic);
      } finally {
        await publisher.close();
      }
    }
  });

  it('still publishes to a too-short topic once running, and logs it as an error', async () => {
    const topic = await existingTopic('retention-publish', {
      'cleanup.policy': 'compact,delete',
      'retention.ms': '60000',
    });
    const errors: Array<{ fields: object; message: string }> = [];
    const logger: PublisherLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (fields, message) => errors.push({ fields, message }),
    };
    const publisher = publisherOf(topic, logger);
    try {
      // Verifiers that are up apply what is published; holding it back would help nobody.
      await roundTrip(publisher, topic);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.fields).toMatchObject({ code: 'TOPIC_RETENTION_TOO_SHORT', topic });
    } finally {
      await publisher.close();
    }
  });
});

describe('the relay prepares on a too-short topic', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('throws the refusal from prepare, where a quiet false would let a service start', async () => {
    const topic = await existingTopic('retention-relay', {
      'cleanup.policy': 'delete',
      'retention.ms': '60000',
    });
    const relay = new OutboxRelay({
      db: database.open(),
      dialect: 'sqlite',
      publisher: publisherOf(topic),
    });
    try {
      await expect(relay.prepare(30_000)).rejects.toBeInstanceOf(TopicRetentionTooShortError);
    } finally {
      await relay.stop();
    }
  });
});
