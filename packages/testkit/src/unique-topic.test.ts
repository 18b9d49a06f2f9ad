import { describe, expect, it } from 'vitest';
import { uniqueTopic } from './unique-topic.js';

describe('uniqueTopic', () => {
  it('returns a legal topic name that differs on every call', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueTopic('smoke')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^smoke-[a-z0-9]+-[0-9a-f]{8}$/);
  });

  it('rejects a prefix Kafka would not accept in a topic name', () => {
    expect(() => uniqueTopic('bad topic')).toThrow(/prefix/);
  });
});
