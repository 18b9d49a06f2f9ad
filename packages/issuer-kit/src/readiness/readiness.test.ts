import { describe, expect, it } from 'vitest';
import type { RelayStatus } from '@revocation-fabric/publisher';
import { kafkaState } from './kafka-state.js';
import { issuerReadinessReport, issuerReadinessResponse } from './readiness-report.js';

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

  it('answers 200 while Kafka is unreachable, with the backlog and what waits for Kafka', () => {
    const report = issuerReadinessReport({
      database: 'ok',
      migrated: true,
      kafka: 'unreachable',
      relay: relay({ kafkaHealthy: false }),
      backlog: { depth: 3, oldestCreatedAt: now - 4_000 },
      now,
    });
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      status: 'ready',
      database: 'ok',
      migrations: 'ok',
      kafka: 'unreachable',
      outbox: { pending: 3, oldestPendingAgeMs: 4_000 },
      relay: { running: true, leader: true },
      summary: expect.stringContaining('3 revocations wait to reach verifiers') as string,
    });
    expect(issuerReadinessResponse.parse(report.body)).toEqual(report.body);
  });

  it('answers 503 when the database is unreachable or not migrated', () => {
    const down = issuerReadinessReport({
      database: 'unreachable',
      migrated: true,
      kafka: 'ok',
      relay: relay(),
      backlog: undefined,
      now,
    });
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      status: 'unavailable',
      database: 'unreachable',
      kafka: 'ok',
      outbox: { pending: null, oldestPendingAgeMs: null },
    });
    expect(down.body.summary).toMatch(/database is unreachable/);
    const pending = issuerReadinessReport({
      database: 'ok',
      migrated: false,
      kafka: 'stopped',
      relay: relay({ running: false }),
      backlog: undefined,
      now,
    });
    expect(pending.status).toBe(503);
    expect(pending.body).toMatchObject({ status: 'unavailable', migrations: 'pending' });
  });

  it('reports an empty outbox with no age when everything reached Kafka', () => {
    const report = issuerReadinessReport({
      database: 'ok',
      migrated: true,
      kafka: 'ok',
      relay: relay({ published: 5 }),
      backlog: { depth: 0, oldestCreatedAt: undefined },
      now,
    });
    expect(report.status).toBe(200);
    expect(report.body.outbox).toEqual({ pending: 0, oldestPendingAgeMs: null });
    expect(report.body.summary).toBe(
      'accepting requests; every committed revocation has reached Kafka',
    );
  });
});
