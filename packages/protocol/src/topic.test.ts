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
  function admin(existing: string[]) {
    const created: string[] = [];
    const client: RevocationTopicAdmin = {
      listTopics: async () => [...existing, ...created],
      createTopics: async ({ topics }) => {
        created.push(...topics.map((t) => t.topic));
        return true;
      },
    };
    return { client, created };
  }

  it('creates the topic when missing and leaves an existing one alone', async () => {
    const fresh = admin([]);
    expect(
      (await ensureRevocationTopic(fresh.client, { maxTokenLifetimeMs: 60_000 })).created,
    ).toBe(true);
    expect(fresh.created).toEqual(['auth.revocations']);
    const present = admin(['auth.revocations']);
    expect(
      (await ensureRevocationTopic(present.client, { maxTokenLifetimeMs: 60_000 })).created,
    ).toBe(false);
    expect(present.created).toEqual([]);
  });
});
