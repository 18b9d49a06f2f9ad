import { describe, expect, it } from 'vitest';
import type { RelayStatus } from '@revocation-fabric/publisher';
import { kafkaState } from './kafka-state.js';
import { issuerReadinessReport, issuerReadinessResponse } from './readiness-report.js';
import type { IssuerReadinessFacts } from './readiness-report.js';

const relay = (overrides: Partial<RelayStatus> = {}): RelayStatus => ({
  running: true,
  leader: true,
  kafkaHealthy: true,
  lastError: undefined,
  published: 0,
  ...overrides,
});

describe('kafkaState', () => {
  it('is unreachable while the relay has not reached the broker since a failed start', () => {
    expect(kafkaState(relay(), false)).toBe('unreachable');
    expect(kafkaState(relay({ published: 3 }), false)).toBe('ok');
    expect(kafkaState(relay(), true)).toBe('ok');
  });

  it('is unreachable once a publish failed, whatever happened at start', () => {
    expect(kafkaState(relay({ kafkaHealthy: false, published: 7 }), true)).toBe('unreachable');
  });

  it('says standby on an instance without the relay leadership and stopped without a relay', () => {
    expect(kafkaState(relay({ leader: false, kafkaHealthy: false }), false)).toBe('standby');
    expect(kafkaState(relay({ running: false, leader: false }), true)).toBe('stopped');
  });
});

describe('issuerReadinessReport', () => {
  const now = 1_800_000_000_000;
  /** A healthy, migrated instance whose outbox was not read, but for `overrides`. */
  const report = (overrides: Partial<IssuerReadinessFacts> = {}) =>
    issuerReadinessReport({
      database: 'ok',
      migrated: true,
      kafka: 'ok',
      relay: relay(),
      backlog: undefined,
      now,
      ...overrides,
    });

  it('answers 200 while Kafka is unreachable, with the backlog and what waits for Kafka', () => {
    const answer = report({
      kafka: 'unreachable',
      relay: relay({ kafkaHealthy: false }),
      backlog: { depth: 3, oldestCreatedAt: now - 4_000 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'ready',
      database: 'ok',
      migrations: 'ok',
      kafka: 'unreachable',
      outbox: { pending: 3, oldestPendingAgeMs: 4_000 },
      relay: { running: true, leader: true },
      summary: expect.stringContaining('3 revocations wait to reach verifiers') as string,
    });
    expect(issuerReadinessResponse.parse(answer.body)).toEqual(answer.body);
  });

  it('answers 503 when the database is unreachable or not migrated', () => {
    const down = report({ database: 'unreachable' });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'unavailable',
      database: 'unreachable',
      kafka: 'ok',
      outbox: { pending: null, oldestPendingAgeMs: null },
    });
    expect(down.body.summary).toMatch(/database is unreachable/);
    const pending = report({ migrated: false, kafka: 'stopped', relay: relay({ running: false }) });
    expect(pending.status).toBe(503);
    expect(pending.body).toMatchObject({ status: 'unavailable', migrations: 'pending' });
  });

  it('reports an empty outbox with no age when everything reached Kafka', () => {
    const answer = report({
      relay: relay({ published: 5 }),
      backlog: { depth: 0, oldestCreatedAt: undefined },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.outbox).toEqual({ pending: 0, oldestPendingAgeMs: null });
    expect(answer.body.summary).toBe(
      'accepting requests; every committed revocation has reached Kafka',
    );
  });
});
