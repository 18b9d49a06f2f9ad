import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { TopicRetentionVerdict } from '@revocation-fabric/protocol';
import { VerifierMetrics } from './metrics.js';
import type { VerifierStats } from './stats.js';

const noStats = (): VerifierStats => {
  throw new Error('this test scrapes only the retention gauge');
};

function verdict(topic: string, sufficient: boolean): TopicRetentionVerdict {
  const facts = {
    topic,
    cleanupPolicy: 'compact,delete',
    deletes: true,
    retentionMs: sufficient ? 1_805_000 : 60_000,
    retentionBytes: -1,
    requiredRetentionMs: 910_000,
  };
  return sufficient
    ? { ...facts, sufficient }
    : {
        ...facts,
        sufficient,
        setting: 'retention.ms',
        fixValue: 1_805_000,
        fix: 'kafka-configs.sh …',
      };
}

describe('the topic retention gauge', () => {
  it('shows 1 for a topic kept too short and 0 for one kept long enough, once checked', async () => {
    const registry = new Registry();
    const checked: { verdicts?: readonly TopicRetentionVerdict[] } = {};
    await VerifierMetrics.create(registry, 'test_', noStats, () => checked.verdicts);
    const gauge = registry.getSingleMetric('test_topic_retention_too_short');
    const samples = async () =>
      (await gauge?.get())?.values.map((v) => [v.labels['topic'], v.value]) ?? 'missing';

    expect(await samples()).toEqual([]);
    checked.verdicts = [
      verdict('auth.revocations', true),
      verdict('auth.revocations.gateway', false),
    ];
    expect(await samples()).toEqual([
      ['auth.revocations', 0],
      ['auth.revocations.gateway', 1],
    ]);
  });

  it('is registered without a verdict source, with no samples', async () => {
    const registry = new Registry();
    await VerifierMetrics.create(registry, 'test_', noStats);
    const gauge = registry.getSingleMetric('test_topic_retention_too_short');
    expect((await gauge?.get())?.values).toEqual([]);
  });
});
