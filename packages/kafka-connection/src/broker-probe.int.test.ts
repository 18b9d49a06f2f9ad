import { inject, describe, expect, it } from 'vitest';
import { probeBrokers } from './broker-probe.js';

describe('probeBrokers on the real broker', () => {
  it('answers true once one bootstrap broker answers ApiVersions', async () => {
    const brokers = ['127.0.0.1:1', ...inject('kafkaBrokers')];
    expect(await probeBrokers({ brokers, tls: undefined, timeoutMs: 5_000 })).toBe(true);
  });
});
