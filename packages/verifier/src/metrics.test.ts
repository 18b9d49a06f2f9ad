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

describe('the receipts counter', () => {
  it('counts up by the commits and failures the feed reports between scrapes', async () => {
    const registry = new Registry();
    const receipts = { committed: 0, failed: 0 };
    const stats = () => ({ receipts: { ...receipts } }) as unknown as VerifierStats;
    await VerifierMetrics.create(registry, 'test_', stats);
    const counter = registry.getSingleMetric('test_receipts_total');
    const samples = async () =>
      Object.fromEntries(
        ((await counter?.get())?.values ?? []).map((v) => [String(v.labels['outcome']), v.value]),
      );

    receipts.committed = 3;
    expect(await samples()).toEqual({ committed: 3 });
    receipts.committed = 5;
    receipts.failed = 1;
    // A scrape in a later tick: the stats snapshot is taken once per tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await samples()).toEqual({ committed: 5, failed: 1 });
  });
});
