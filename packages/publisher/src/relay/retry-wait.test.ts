import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pause } from './pause.js';
import { RETRY_PROBE_INTERVAL_MS, retryWait } from './retry-wait.js';

/** A probe that answers from a script, one verdict per call (the last one repeats). */
function scripted(...verdicts: boolean[]) {
  let calls = 0;
  const probe = () => {
    const verdict = verdicts[Math.min(calls, verdicts.length - 1)] ?? false;
    calls += 1;
    return Promise.resolve(verdict);
  };
  return { probe, calls: () => calls };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('retryWait', () => {
  // random() = 0.5: every probe pause is exactly the mean interval.
  const base = { pause: new Pause(), keepGoing: () => true, random: () => 0.5 };

  it('ends at the first answer after probes saw the broker away, long before the backoff', async () => {
    const { probe, calls } = scripted(false, false, true);
    const ended = retryWait({ ...base, probe }, 30_000, false);
    await vi.advanceTimersByTimeAsync(3 * RETRY_PROBE_INTERVAL_MS);
    await expect(ended).resolves.toEqual({ end: 'answered', verdict: true });
    expect(calls()).toBe(3);
  });

  it('ends at the first answer after a failure with no verdict yet (the broker came back meanwhile)', async () => {
    const { probe } = scripted(true);
    const ended = retryWait({ ...base, probe }, 30_000, undefined);
    await vi.advanceTimersByTimeAsync(RETRY_PROBE_INTERVAL_MS);
    await expect(ended).resolves.toEqual({ end: 'answered', verdict: true });
  });

  it('waits out the backoff when the publish failed although the broker answered', async () => {
    const { probe, calls } = scripted(true);
    let settled = false;
    const ended = retryWait({ ...base, probe }, 4_000, true).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(3_999);
    expect(settled).toBe(false);
    expect(calls()).toBeGreaterThan(5);
    await vi.advanceTimersByTimeAsync(1);
    await expect(ended).resolves.toEqual({ end: 'expired', verdict: true });
  });

  it('still ends early when such a broker goes away and comes back', async () => {
    const { probe } = scripted(true, false, true);
    const ended = retryWait({ ...base, probe }, 30_000, true);
    await vi.advanceTimersByTimeAsync(3 * RETRY_PROBE_INTERVAL_MS);
    await expect(ended).resolves.toMatchObject({ end: 'answered' });
  });

  it('sleeps the plain backoff without a probe', async () => {
    let settled = false;
    const ended = retryWait({ ...base, probe: undefined }, 1_000, undefined).finally(
      () => (settled = true),
    );
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(ended).resolves.toEqual({ end: 'expired', verdict: undefined });
  });

  it('stops when the relay stops', async () => {
    let going = true;
    const pause = new Pause();
    const { probe } = scripted(false);
    const ended = retryWait({ ...base, pause, probe, keepGoing: () => going }, 30_000, false);
    await vi.advanceTimersByTimeAsync(RETRY_PROBE_INTERVAL_MS);
    going = false;
    pause.interruptAll();
    await expect(ended).resolves.toMatchObject({ end: 'stopped' });
  });
});
