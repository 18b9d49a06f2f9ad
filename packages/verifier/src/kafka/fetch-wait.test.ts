import { describe, expect, it } from 'vitest';
import { MAX_FETCH_WAIT_MS, MIN_FETCH_WAIT_MS, fetchWaitMs } from './fetch-wait.js';

describe('fetchWaitMs', () => {
  it('waits the longest under the default staleness window', () => {
    expect(fetchWaitMs(30_000)).toBe(MAX_FETCH_WAIT_MS);
    expect(fetchWaitMs(undefined)).toBe(MAX_FETCH_WAIT_MS);
  });

  it('answers at least four times per staleness window when the window is short', () => {
    expect(fetchWaitMs(3_000)).toBe(750);
    expect(fetchWaitMs(3_000) * 4).toBeLessThanOrEqual(3_000);
  });

  it('never waits less than the shortest wait', () => {
    expect(fetchWaitMs(1)).toBe(MIN_FETCH_WAIT_MS);
  });
});
