import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokerWatch, CONTACT_LOST_MS, PROBE_INTERVAL_MS } from './broker-watch.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

function setup(verdicts: () => boolean) {
  let lastContactAt = Date.now();
  let probes = 0;
  let returns = 0;
  const watch = new BrokerWatch({
    probe: () => {
      probes += 1;
      return Promise.resolve(verdicts());
    },
    outOfContactMs: () => {
      const silent = Date.now() - lastContactAt;
      return silent < CONTACT_LOST_MS ? undefined : silent;
    },
    onReturn: () => (returns += 1),
    now: () => Date.now(),
    random: () => 0.5,
  });
  watch.start();
  return {
    watch,
    touch: () => (lastContactAt = Date.now()),
    probes: () => probes,
    returns: () => returns,
  };
}

describe('BrokerWatch', () => {
  it('sends nothing while the feed is in contact', async () => {
    const { watch, touch, probes } = setup(() => true);
    for (let i = 0; i < 20; i += 1) {
      await vi.advanceTimersByTimeAsync(PROBE_INTERVAL_MS);
      touch();
    }
    expect(probes()).toBe(0);
    watch.stop();
  });

  it('probes at its interval once contact is lost and reconnects within one interval of the broker answering', async () => {
    let up = false;
    const { watch, probes, returns } = setup(() => up);
    await vi.advanceTimersByTimeAsync(30_000);
    // ~2.5 probes a second: bounded, not a storm.
    expect(probes()).toBeGreaterThan(60);
    expect(probes()).toBeLessThanOrEqual(30_000 / PROBE_INTERVAL_MS);
    expect(returns()).toBe(0);
    up = true;
    await vi.advanceTimersByTimeAsync(PROBE_INTERVAL_MS);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('does not restart again and again while the consumer catches up', async () => {
    let up = false;
    const { watch, returns } = setup(() => up);
    await vi.advanceTimersByTimeAsync(5_000);
    up = true;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('restarts a consumer that stays silent while the broker answers (it came back between probes)', async () => {
    const { watch, returns } = setup(() => true);
    await vi.advanceTimersByTimeAsync(2_500);
    expect(returns()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(returns()).toBe(1);
    watch.stop();
  });
});
