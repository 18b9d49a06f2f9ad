import { describe, expect, it } from 'vitest';
import type { DescribeTopicConfigsAnswer } from '@revocation-fabric/protocol';
import {
  checkFeedTopicRetention,
  longestTokenLifetimeMs,
  topicRetentionRequest,
} from './topic-retention.js';

/** A DescribeConfigs answer as kafkajs gives it, for topics with these settings. */
function answer(
  topics: Record<string, { policy: string; retentionMs: number }>,
): DescribeTopicConfigsAnswer {
  return {
    resources: Object.entries(topics).map(([name, { policy, retentionMs }]) => ({
      resourceName: name,
      resourceType: 2,
      errorCode: 0,
      errorMessage: null,
      configEntries: [
        { configName: 'cleanup.policy', configValue: policy },
        { configName: 'retention.ms', configValue: String(retentionMs) },
        { configName: 'retention.bytes', configValue: '-1' },
      ],
    })),
  };
}

const MINUTE = 60_000;

describe('longestTokenLifetimeMs', () => {
  const ours = { maxTokenLifetimeMs: 15 * MINUTE, authority: { sources: new Map([['us', 0]]) } };
  const keycloak = {
    maxTokenLifetimeMs: 60 * MINUTE,
    authority: { sources: new Map([['gw', 0]]) },
  };

  it('takes the longest lifetime of the issuers a source may speak for', () => {
    expect(longestTokenLifetimeMs([ours, keycloak], 'us')).toBe(15 * MINUTE);
    expect(longestTokenLifetimeMs([ours, keycloak], 'gw')).toBe(60 * MINUTE);
    expect(longestTokenLifetimeMs([ours, keycloak], 'elsewhere')).toBeUndefined();
  });

  it('counts an issuer without a source list for every source', () => {
    const single = { maxTokenLifetimeMs: 5 * MINUTE, authority: { sources: 'any' as const } };
    expect(longestTokenLifetimeMs([single, ours], 'us')).toBe(15 * MINUTE);
    expect(longestTokenLifetimeMs([{ maxTokenLifetimeMs: 5 * MINUTE }], 'gw')).toBe(5 * MINUTE);
  });
});

describe('checkFeedTopicRetention', () => {
  it('judges every topic read against the verifier’s longest lifetime + 2 × tolerance', () => {
    const verdicts = checkFeedTopicRetention(
      answer({
        us: { policy: 'compact,delete', retentionMs: 30 * MINUTE + 5_000 },
        gw: { policy: 'compact,delete', retentionMs: MINUTE },
      }),
      { topics: ['us', 'gw'], maxTokenLifetimeMs: 15 * MINUTE, clockToleranceMs: 5_000 },
    );
    expect(verdicts).toMatchObject([
      { topic: 'us', sufficient: true, requiredRetentionMs: 15 * MINUTE + 10_000 },
      { topic: 'gw', sufficient: false, setting: 'retention.ms', retentionMs: MINUTE },
    ]);
  });

  it('judges each topic by the issuers it may speak for, and skips a topic none trusts', () => {
    const issuers = [
      { maxTokenLifetimeMs: 15 * MINUTE, authority: { sources: new Map([['us', 0]]) } },
      { maxTokenLifetimeMs: 60 * MINUTE, authority: { sources: new Map([['gw', 0]]) } },
    ];
    const verdicts = checkFeedTopicRetention(
      answer({
        us: { policy: 'delete', retentionMs: 30 * MINUTE },
        gw: { policy: 'delete', retentionMs: 30 * MINUTE },
        other: { policy: 'delete', retentionMs: 1 },
      }),
      {
        topics: ['us', 'gw', 'other'],
        maxTokenLifetimeMs: (topic) => longestTokenLifetimeMs(issuers, topic),
        clockToleranceMs: 5_000,
      },
    );
    expect(verdicts.map((v) => [v.topic, v.sufficient])).toEqual([
      ['us', true],
      ['gw', false],
    ]);
  });

  it('accepts a compact-only topic and infinite retention whatever the lifetime', () => {
    const verdicts = checkFeedTopicRetention(
      answer({
        compacted: { policy: 'compact', retentionMs: MINUTE },
        forever: { policy: 'delete', retentionMs: -1 },
      }),
      {
        topics: ['compacted', 'forever'],
        maxTokenLifetimeMs: 7 * 24 * 60 * MINUTE,
        clockToleranceMs: 5_000,
      },
    );
    expect(verdicts.every((v) => v.sufficient)).toBe(true);
  });

  it('throws when the broker refused to describe a topic, naming the ACL', () => {
    const refused: DescribeTopicConfigsAnswer = {
      resources: [{ resourceName: 'us', configEntries: [], errorCode: 29, errorMessage: null }],
    };
    expect(() =>
      checkFeedTopicRetention(refused, {
        topics: ['us'],
        maxTokenLifetimeMs: MINUTE,
        clockToleranceMs: 0,
      }),
    ).toThrow(/DescribeConfigs/);
  });
});

describe('topicRetentionRequest', () => {
  it('asks for the three settings the check reads, per topic', () => {
    expect(topicRetentionRequest(['us', 'gw'])).toEqual({
      resources: [
        { type: 2, name: 'us', configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'] },
        { type: 2, name: 'gw', configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'] },
      ],
      includeSynonyms: false,
    });
  });
});
