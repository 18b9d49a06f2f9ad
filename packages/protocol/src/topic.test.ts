import { describe, expect, it } from 'vitest';
import type { RevocationTopicAdmin } from './topic.js';
import { TopicRetentionTooShortError } from './errors.js';
import { ensureRevocationTopic, revocationTopicSpec } from './topic.js';

describe('revocationTopicSpec', () => {
  it('derives retention from the maximum token lifetime', () => {
    const spec = revocationTopicSpec({ maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 });
    const config = Object.fromEntries(spec.configEntries.map((e) => [e.name, e.value]));
    expect(spec.topic).toBe('auth.revocations');
    expect(spec.numPartitions).toBeGreaterThanOrEqual(3);
    expect(config['cleanup.policy']).toBe('compact,delete');
    expect(config['retention.ms']).toBe(String(2 * 900_000 + 5_000));
    expect(Number(config['segment.ms'])).toBeLessThan(Number(config['retention.ms']));
  });

  it('refuses fewer than 3 partitions and a non-positive lifetime', () => {
    expect(() => revocationTopicSpec({ maxTokenLifetimeMs: 1000, partitions: 2 })).toThrow(
      /partitions/,
    );
    expect(() => revocationTopicSpec({ maxTokenLifetimeMs: 0 })).toThrow(/maxTokenLifetimeMs/);
  });
});

describe('ensureRevocationTopic', () => {
  // A recording admin: this checks the helper's calls; the real broker is exercised in
  // packages/publisher (topic-retention.int.test.ts).
  type CreateTopics = RevocationTopicAdmin['createTopics'];
  type DescribeConfigs = RevocationTopicAdmin['describeConfigs'];
  /** What the broker reports for a topic: what it was created with, else `existingConfig`. */
  function admin(
    existing: string[],
    answer: (created: string[]) => ReturnType<CreateTopics>,
    existingConfig: Record<string, string> = {
      'cleanup.policy': 'compact,delete',
      'retention.ms': '604800000',
    },
  ) {
    const created: string[] = [];
    const requests: Parameters<CreateTopics>[0][] = [];
    const describes: Parameters<DescribeConfigs>[0][] = [];
    const configs = new Map<string, Record<string, string>>();
    const client: RevocationTopicAdmin = {
      listTopics: () => Promise.resolve([...existing, ...created]),
      createTopics: async (request) => {
        requests.push(request);
        for (const t of request.topics) {
          configs.set(t.topic, Object.fromEntries(t.configEntries.map((e) => [e.name, e.value])));
        }
        return answer(created);
      },
      describeConfigs: (request) => {
        describes.push(request);
        return Promise.resolve({
          resources: request.resources.map(({ name }) => ({
            resourceName: name,
            errorCode: 0,
            configEntries: Object.entries({
              'retention.bytes': '-1',
              ...(configs.get(name) ?? existingConfig),
            }).map(([configName, configValue]) => ({ configName, configValue })),
          })),
        });
      },
    };
    return { client, created, requests, describes };
  }
  const creates = (topic: string) => (created: string[]) => {
    created.push(topic);
    return Promise.resolve(true);
  };

  it('creates the topic when missing and leaves an existing one alone', async () => {
    const fresh = admin([], creates('auth.revocations'));
    expect(
      (await ensureRevocationTopic(fresh.client, { maxTokenLifetimeMs: 60_000 })).created,
    ).toBe(true);
    expect(fresh.created).toEqual(['auth.revocations']);
    const present = admin(['auth.revocations'], creates('auth.revocations'));
    expect(
      (await ensureRevocationTopic(present.client, { maxTokenLifetimeMs: 60_000 })).created,
    ).toBe(false);
    expect(present.created).toEqual([]);
    expect(present.requests).toEqual([]);
  });

  it('asks the admin for exactly the spec it returns, and waits for leaders', async () => {
    const fresh = admin([], creates('auth.revocations'));
    const options = { maxTokenLifetimeMs: 60_000, replicationFactor: 3 };
    const { spec } = await ensureRevocationTopic(fresh.client, options);
    expect(spec).toEqual(revocationTopicSpec(options));
    expect(fresh.requests).toEqual([
      {
        topics: [
          {
            topic: 'auth.revocations',
            numPartitions: spec.numPartitions,
            replicationFactor: 3,
            configEntries: spec.configEntries,
          },
        ],
        waitForLeaders: true,
      },
    ]);
  });

  it('reports what the admin answers, not a fixed value', async () => {
    // kafkajs answers false when the topic was there after all.
    const raced = admin([], () => Promise.resolve(false));
    expect(
      (await ensureRevocationTopic(raced.client, { maxTokenLifetimeMs: 60_000 })).created,
    ).toBe(false);
  });

  it('counts a creation by another instance as success, and rethrows any other failure', async () => {
    const lost = admin([], (created) => {
      created.push('auth.revocations');
      return Promise.reject(new Error('TOPIC_ALREADY_EXISTS'));
    });
    expect((await ensureRevocationTopic(lost.client, { maxTokenLifetimeMs: 60_000 })).created).toBe(
      false,
    );
    const broken = admin([], () => Promise.reject(new Error('not authorized')));
    await expect(
      ensureRevocationTopic(broken.client, { maxTokenLifetimeMs: 60_000 }),
    ).rejects.toThrow('not authorized');
  });

  it('reads back the settings in force, asking only for the ones it judges', async () => {
    const present = admin(['auth.revocations'], creates('auth.revocations'), {
      'cleanup.policy': 'compact',
      'retention.ms': '60000',
    });
    const { inForce, spec } = await ensureRevocationTopic(present.client, {
      maxTokenLifetimeMs: 900_000,
    });
    // The spec would say compact,delete and 1805000 ms; the topic says otherwise, and wins.
    expect(spec.configEntries).toContainEqual({ name: 'retention.ms', value: '1805000' });
    expect(inForce).toMatchObject({
      sufficient: true,
      cleanupPolicy: 'compact',
      deletes: false,
      retentionMs: 60_000,
    });
    expect(present.describes).toEqual([
      {
        resources: [
          {
            type: 2,
            name: 'auth.revocations',
            configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'],
          },
        ],
        includeSynonyms: false,
      },
    ]);
  });

  it('refuses an existing topic that deletes events before their rules may be forgotten', async () => {
    const short = admin(['auth.revocations'], creates('auth.revocations'), {
      'cleanup.policy': 'compact,delete',
      'retention.ms': '60000',
    });
    const refusal = ensureRevocationTopic(short.client, {
      maxTokenLifetimeMs: 900_000,
      clockToleranceMs: 5_000,
    });
    await expect(refusal).rejects.toBeInstanceOf(TopicRetentionTooShortError);
    await expect(refusal).rejects.toMatchObject({
      code: 'TOPIC_RETENTION_TOO_SHORT',
      topic: 'auth.revocations',
      verdict: { setting: 'retention.ms', retentionMs: 60_000, requiredRetentionMs: 910_000 },
    });
    expect(short.requests).toEqual([]);
  });

  it('checks a topic it created against what the broker reports', async () => {
    const fresh = admin([], creates('auth.revocations'));
    const { created, inForce } = await ensureRevocationTopic(fresh.client, {
      maxTokenLifetimeMs: 900_000,
    });
    expect(created).toBe(true);
    expect(inForce).toMatchObject({ retentionMs: 1_805_000, cleanupPolicy: 'compact,delete' });
  });

  it('asks again while a topic it just created is unknown to the broker asked', async () => {
    const fresh = admin([], creates('auth.revocations'));
    const describe = fresh.client.describeConfigs.bind(fresh.client);
    let failures = 2;
    fresh.client.describeConfigs = (request) =>
      failures-- > 0
        ? Promise.reject(new Error('This server does not host this topic-partition'))
        : describe(request);
    const { inForce } = await ensureRevocationTopic(fresh.client, { maxTokenLifetimeMs: 60_000 });
    expect(inForce.sufficient).toBe(true);
    // An existing topic that cannot be described is an error at once: nothing to wait for.
    const present = admin(['auth.revocations'], creates('auth.revocations'));
    present.client.describeConfigs = () => Promise.reject(new Error('not authorized'));
    await expect(
      ensureRevocationTopic(present.client, { maxTokenLifetimeMs: 60_000 }),
    ).rejects.toThrow(/auth\.revocations failed \(.*DescribeConfigs ACL.*\): not authorized$/);
  });
});
