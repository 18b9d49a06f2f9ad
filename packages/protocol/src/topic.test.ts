import { describe, expect, it } from 'vitest';
import type { RevocationTopicAdmin } from './topic.js';
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
  // A recording admin: this checks the helper's calls, the real broker is exercised in test/.
  type CreateTopics = RevocationTopicAdmin['createTopics'];
  function admin(existing: string[], answer: (created: string[]) => ReturnType<CreateTopics>) {
    const created: string[] = [];
    const requests: Parameters<CreateTopics>[0][] = [];
    const client: RevocationTopicAdmin = {
      listTopics: () => Promise.resolve([...existing, ...created]),
      createTopics: async (request) => {
        requests.push(request);
        return answer(created);
      },
    };
    return { client, created, requests };
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
});
