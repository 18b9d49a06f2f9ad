import { describe, expect, it } from 'vitest';
import type { RelayStatus } from '@revocation-fabric/publisher';
import { kafkaState, readinessReport, readinessResponse } from './readiness.js';

const relay = (overrides: Partial<RelayStatus> = {}): RelayStatus => ({
  running: true,
  leader: true,
  kafkaHealthy: true,
  lastError: undefined,
  published: 0,
  ...overrides,
});
const NOW = 1_800_000_000_000;

describe('readinessReport', () => {
  it('answers 200 while Kafka is away and reports the backlog and each SSF stream', () => {
    const report = readinessReport({
      database: 'ok',
      migrated: true,
      kafka: kafkaState(relay({ kafkaHealthy: false }), true),
      relay: relay({ kafkaHealthy: false }),
      backlog: { depth: 2, oldestCreatedAt: NOW - 1500 },
      streams: new Map([
        [
          'kc',
          {
            delivery: 'poll' as const,
            state: 'failed' as const,
            streamId: undefined,
            lastError: { step: 'poll', status: 502 },
          },
        ],
      ]),
      now: NOW,
    });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      status: 'ready',
      kafka: 'unreachable',
      outbox: { pending: 2, oldestPendingAgeMs: 1500 },
      ssf: {
        kc: {
          delivery: 'poll',
          state: 'failed',
          streamId: null,
          lastError: { step: 'poll', status: 502 },
        },
      },
    });
    expect(readinessResponse.parse(report.body)).toEqual(report.body);
  });

  it('answers 503 when the database is unreachable or not migrated', () => {
    const facts = {
      kafka: 'ok' as const,
      relay: relay(),
      backlog: undefined,
      streams: new Map(),
      now: NOW,
    };
    expect(readinessReport({ ...facts, database: 'unreachable', migrated: true }).status).toBe(503);
    expect(readinessReport({ ...facts, database: 'ok', migrated: false }).body.migrations).toBe(
      'pending',
    );
  });

  it('reads Kafka as standby without the relay leadership and unreachable before any contact', () => {
    expect(kafkaState(relay({ leader: false }), true)).toBe('standby');
    expect(kafkaState(relay(), false)).toBe('unreachable');
    expect(kafkaState(relay({ published: 1 }), false)).toBe('ok');
    expect(kafkaState(relay({ running: false }), true)).toBe('stopped');
  });
});
