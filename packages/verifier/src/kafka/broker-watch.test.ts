import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokerWatch, CONTACT_LOST_MS, PROBE_INTERVAL_MS } from './broker-watch.js';
import { MAX_FETCH_WAIT_MS } from './fetch-wait.js';

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => vi.useRealTimers());

/**
 * A watch over a feed as kafka-feed.ts wires it: silence counts beyond one fetch wait (an idle
 * broker answers a fetch only after it), and `probe` answers as `verdict` says, after `during`
 * ran (what the feed hears while the probe is in flight).
 */
function setup(verdict: () => boolean, during: (touch: () => void) => void = () => {}) {
  let lastContactAt = Date.now();
  const touch = () => (lastContactAt = Date.now());
  let probes = 0;
  let returns = 0;
  const watch = new BrokerWatch({
    probe: () => {
      probes += 1;
      during(touch);
      return Promise.resolve(verdict());
    },
    outOfContactMs: () => {
      const silent = Date.now() - lastContactAt - MAX_FETCH_WAIT_MS;
      return silent < CONTACT_LOST_MS ? undefined : silent;
    },
    onReturn: () => (returns += 1),
    now: () => Date.now(),
    random: () => 0.5,
  });
  watch.start();
  return {
    watch,
    touch,
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
    await vi.advanceTimersByTimeAsync(8_000);
    up = true;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('restarts a consumer that stays silent while the broker answers (it came back between probes)', async () => {
    const { watch, returns } = setup(() => true);
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 4_500);
    expect(returns()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('never replaces an idle consumer heard once per fetch wait, even each answer 4 s late', async () => {
    const { watch, touch, probes, returns } = setup(() => true);
    for (let i = 0; i < 10; i += 1) {
      await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 4_000);
      touch();
    }
    // It was probed (late enough to look cut off), and the broker answered, yet it stayed.
    expect(probes()).toBeGreaterThan(0);
    expect(returns()).toBe(0);
    // Then it really goes silent: replaced.
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 6_000);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('does not replace a consumer whose fetch answer arrives while the probe is in flight', async () => {
    // On a loaded event loop a timer can fire before the fetch answer already waiting. Here the
    // first probe times out (the busy machine), and the late answer lands while the second is
    // in flight: the broker was never away and the consumer is fine.
    let probe = 0;
    let late = true;
    const { watch, returns } = setup(
      () => probe !== 1,
      (touch) => {
        probe += 1;
        if (probe === 2 && late) touch();
      },
    );
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + CONTACT_LOST_MS + 10 * PROBE_INTERVAL_MS);
    expect(probe).toBeGreaterThanOrEqual(2);
    expect(returns()).toBe(0);
    late = false;
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 6_000);
    expect(returns()).toBe(1);
    watch.stop();
  });

  it('gives the consumer it started a full silence window to make contact before replacing it again', async () => {
    const { watch, returns } = setup(() => true);
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 5_500);
    expect(returns()).toBe(1);
    // The new consumer is still joining (a busy coordinator): not replaced after 4 s …
    await vi.advanceTimersByTimeAsync(4_000);
    expect(returns()).toBe(1);
    // … but once it has been silent a whole window, it is.
    await vi.advanceTimersByTimeAsync(MAX_FETCH_WAIT_MS + 2_000);
    expect(returns()).toBe(2);
    watch.stop();
  });
});
