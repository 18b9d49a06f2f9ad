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
  it('adds each SSF stream to the issuer’s report, which answers 200 while Kafka is away', () => {
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
});
