import { describe, expect, it } from 'vitest';
import type { RelayStatus } from '@revocation-fabric/publisher';
import { readinessReport, readinessResponse } from './readiness.js';

/** The relay of an instance whose publishes fail: Kafka is away. */
const RELAY_WITHOUT_KAFKA: RelayStatus = {
  running: true,
  leader: true,
  kafkaHealthy: false,
  lastError: 'connection refused',
  published: 0,
};
const NOW = 1_800_000_000_000;

describe('readinessReport', () => {
  it('adds each SSF stream to the issuer’s report, which answers 200 while Kafka is away', () => {
    const report = readinessReport({
      database: 'ok',
      migrated: true,
      kafka: 'unreachable',
      relay: RELAY_WITHOUT_KAFKA,
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
