import { describe, expect, it } from 'vitest';
import type { InsufficientTopicRetention } from '@revocation-fabric/protocol';
import { NOT_READY_REASONS, NotReadyError, VERIFIER_ERROR_RESPONSES } from './errors.js';

describe('NotReadyError', () => {
  it('is still replaying unless told otherwise', () => {
    const error = new NotReadyError();
    expect(error).toMatchObject({ code: 'NOT_READY', reason: 'REPLAYING', topicRetention: [] });
  });

  it('carries a too-short topic as a reason and the verdicts, not in its message', () => {
    const tooShort: InsufficientTopicRetention = {
      topic: 'auth.revocations',
      cleanupPolicy: 'delete',
      deletes: true,
      retentionMs: 60_000,
      retentionBytes: -1,
      requiredRetentionMs: 910_000,
      sufficient: false,
      setting: 'retention.ms',
      fixValue: 1_805_000,
      fix: 'kafka-configs.sh …',
    };
    const error = new NotReadyError({
      reason: 'TOPIC_RETENTION_TOO_SHORT',
      topicRetention: [tooShort],
    });
    expect(error.code).toBe('NOT_READY');
    expect(error.reason).toBe('TOPIC_RETENTION_TOO_SHORT');
    expect(error.topicRetention).toEqual([tooShort]);
    // The message reaches HTTP clients: it names no topic and no setting.
    expect(error.message).not.toMatch(/auth\.revocations|retention\.ms/);
    expect(VERIFIER_ERROR_RESPONSES[error.code].status).toBe(503);
  });

  it('lists every reason once', () => {
    expect(new Set(NOT_READY_REASONS).size).toBe(NOT_READY_REASONS.length);
    for (const reason of NOT_READY_REASONS) {
      expect(new NotReadyError({ reason }).message).toMatch(/^verifier is/);
    }
  });
});
