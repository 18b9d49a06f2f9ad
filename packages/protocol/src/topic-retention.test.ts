import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEvent } from './codec.js';
import { TopicRetentionTooShortError } from './errors.js';
import type { RevocationEvent } from './event.js';
import { REVOCATION_REASONS } from './event.js';
import { forgetAt, ruleFromEvent } from './rules.js';
import {
  checkTopicRetention,
  describedTopic,
  minimumTopicRetentionMs,
  recommendedTopicRetentionMs,
} from './topic-retention.js';
import type { DescribedTopicConfig, InsufficientTopicRetention } from './topic-retention.js';
import { revocationTopicSpec } from './topic.js';

const policy = { maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 };

function topic(config: Record<string, string | null>, name = 'auth.revocations') {
  return {
    resourceName: name,
    configEntries: Object.entries(config).map(([configName, configValue]) => ({
      configName,
      configValue,
    })),
  } satisfies DescribedTopicConfig;
}

function insufficient(config: Record<string, string>): InsufficientTopicRetention {
  const verdict = checkTopicRetention(topic(config), policy);
  if (verdict.sufficient) throw new Error('expected an insufficient verdict');
  return verdict;
}

describe('minimumTopicRetentionMs', () => {
  it('is the longest token lifetime plus twice the clock tolerance', () => {
    expect(minimumTopicRetentionMs(policy)).toBe(910_000);
    expect(recommendedTopicRetentionMs(policy)).toBe(1_805_000);
  });

  it('keeps the recommended retention at or above the minimum, even below the tolerance', () => {
    const short = { maxTokenLifetimeMs: 1_000, clockToleranceMs: 5_000 };
    expect(recommendedTopicRetentionMs(short)).toBe(minimumTopicRetentionMs(short));
  });

  it('refuses a lifetime below 1 ms and a negative tolerance with a TypeError', () => {
    expect(() => minimumTopicRetentionMs({ maxTokenLifetimeMs: 0, clockToleranceMs: 0 })).toThrow(
      /maxTokenLifetimeMs/,
    );
    expect(() => minimumTopicRetentionMs({ maxTokenLifetimeMs: 1, clockToleranceMs: -1 })).toThrow(
      /clockToleranceMs/,
    );
  });

  it('covers the forget time of every valid event, measured from its record timestamp', () => {
    // Kafka deletes by record timestamp. An event validated against its record's timestamp
    // (as consumers do), issued at most one tolerance after it (clock skew between the
    // instance that issued it and the relay that wrote it), is never needed past the minimum.
    const recordedAt = 1_800_000_000_000;
    const envelope = { v: 1 as const, id: 'e', actor: 'a', iss: 'https://issuer' };
    const event = fc
      .record({
        policy: fc.record({
          maxTokenLifetimeMs: fc.integer({ min: 1, max: 30 * 86_400_000 }),
          clockToleranceMs: fc.integer({ min: 0, max: 60_000 }),
        }),
        issuedOffset: fc.integer({ min: -86_400_000, max: 60_000 }),
        cutoffOffset: fc.integer({ min: -86_400_000, max: 60_000 }),
        expiresOffset: fc.integer({ min: 0, max: 60 * 86_400_000 }),
        kind: fc.constantFrom('token', 'session', 'key', 'subject', 'global'),
        generation: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }),
        reason: fc.constantFrom(...REVOCATION_REASONS),
      })
      .filter(({ issuedOffset, policy: p }) => issuedOffset <= p.clockToleranceMs);
    let checked = 0;
    fc.assert(
      fc.property(event, (sample) => {
        const issuedAt = recordedAt + sample.issuedOffset;
        const cutoff = recordedAt + sample.cutoffOffset;
        const input: Record<string, unknown> = {
          ...envelope,
          kind: sample.kind,
          reason: sample.reason,
          issuedAt,
        };
        if (sample.kind === 'token') {
          Object.assign(input, { jti: 'j', expiresAt: issuedAt + sample.expiresOffset });
        }
        if (sample.kind === 'session') input['sid'] = 's';
        if (sample.kind === 'key') input['kid'] = 'k';
        if (sample.kind === 'subject') input['sub'] = 'u';
        if (sample.kind === 'subject' || sample.kind === 'global') {
          Object.assign(input, { cutoff, generation: sample.generation });
        }
        let valid: RevocationEvent;
        try {
          valid = validateEvent(input, {
            now: recordedAt,
            clockToleranceMs: sample.policy.clockToleranceMs,
          });
        } catch {
          return; // refused events state no rule
        }
        checked += 1;
        const neededUntil = forgetAt(ruleFromEvent(valid), sample.policy);
        expect(neededUntil - recordedAt).toBeLessThanOrEqual(
          minimumTopicRetentionMs(sample.policy),
        );
      }),
      { numRuns: 2_000 },
    );
    // Most samples are valid events, so the bound was checked, not skipped.
    expect(checked).toBeGreaterThan(1_000);
  });
});

describe('checkTopicRetention', () => {
  it('accepts the spec it creates', () => {
    const spec = revocationTopicSpec({ topic: 'auth.revocations', ...policy });
    const config = Object.fromEntries(spec.configEntries.map((e) => [e.name, e.value]));
    const verdict = checkTopicRetention(topic({ ...config, 'retention.bytes': '-1' }), policy);
    expect(verdict).toMatchObject({
      sufficient: true,
      topic: 'auth.revocations',
      cleanupPolicy: 'compact,delete',
      deletes: true,
      retentionMs: 1_805_000,
      retentionBytes: -1,
      requiredRetentionMs: 910_000,
    });
  });

  it('accepts exactly the minimum and refuses one millisecond less', () => {
    const at = (ms: number) =>
      checkTopicRetention(
        topic({ 'cleanup.policy': 'delete', 'retention.ms': String(ms), 'retention.bytes': '-1' }),
        policy,
      ).sufficient;
    expect(at(910_000)).toBe(true);
    expect(at(909_999)).toBe(false);
  });

  it('refuses a short retention.ms under delete and compact,delete, naming the fix', () => {
    for (const cleanup of ['delete', 'compact,delete', 'delete, compact']) {
      const verdict = insufficient({
        'cleanup.policy': cleanup,
        'retention.ms': '60000',
        'retention.bytes': '-1',
      });
      expect(verdict).toMatchObject({
        setting: 'retention.ms',
        retentionMs: 60_000,
        requiredRetentionMs: 910_000,
        fixValue: 1_805_000,
      });
      expect(verdict.fix).toBe(
        'kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name auth.revocations --add-config retention.ms=1805000',
      );
    }
  });

  it('accepts compact alone and retention.ms=-1, which never delete by time', () => {
    for (const config of [
      { 'cleanup.policy': 'compact', 'retention.ms': '60000', 'retention.bytes': '1024' },
      { 'cleanup.policy': 'compact,delete', 'retention.ms': '-1', 'retention.bytes': '-1' },
    ]) {
      expect(checkTopicRetention(topic(config), policy).sufficient).toBe(true);
    }
  });

  it('refuses retention.bytes under delete: deleting by size can drop a young event', () => {
    const verdict = insufficient({
      'cleanup.policy': 'compact,delete',
      'retention.ms': '1805000',
      'retention.bytes': '1073741824',
    });
    expect(verdict).toMatchObject({ setting: 'retention.bytes', fixValue: -1 });
    expect(verdict.fix).toMatch(/--add-config retention\.bytes=-1$/);
  });

  it('throws a TypeError for a missing, hidden or non-numeric setting', () => {
    expect(() =>
      checkTopicRetention(topic({ 'cleanup.policy': 'delete', 'retention.bytes': '-1' }), policy),
    ).toThrow(/no value for retention\.ms/);
    expect(() =>
      checkTopicRetention(
        topic({ 'cleanup.policy': null, 'retention.ms': '1', 'retention.bytes': '-1' }),
        policy,
      ),
    ).toThrow(/no value for cleanup\.policy/);
    expect(() =>
      checkTopicRetention(
        topic({ 'cleanup.policy': 'delete', 'retention.ms': '1e9', 'retention.bytes': '-1' }),
        policy,
      ),
    ).toThrow(TypeError);
  });
});

describe('TopicRetentionTooShortError', () => {
  it('names the topic, the value in force, the value required and the fix', () => {
    const error = new TopicRetentionTooShortError(
      insufficient({
        'cleanup.policy': 'delete',
        'retention.ms': '60000',
        'retention.bytes': '-1',
      }),
    );
    expect(error.code).toBe('TOPIC_RETENTION_TOO_SHORT');
    expect(error.name).toBe('TopicRetentionTooShortError');
    expect(error.topic).toBe('auth.revocations');
    expect(error.message).toContain('revocation topic auth.revocations');
    expect(error.message).toContain('retention.ms=60000 (1 min)');
    expect(error.message).toContain('at least 910000 ms');
    expect(error.message).toContain('--add-config retention.ms=1805000');
  });
});

describe('describedTopic', () => {
  it('picks the named topic and reports a broker error, with the ACL to grant', () => {
    const answer = {
      resources: [
        { ...topic({ 'cleanup.policy': 'compact' }, 'a'), errorCode: 0 },
        { ...topic({}, 'b'), errorCode: 29, errorMessage: 'Authorization failed.' },
      ],
    };
    expect(describedTopic(answer, 'a').resourceName).toBe('a');
    expect(() => describedTopic(answer, 'b')).toThrow(
      /error 29 \(Authorization failed\.\).*DescribeConfigs/,
    );
    expect(() => describedTopic(answer, 'c')).toThrow(TypeError);
  });
});
