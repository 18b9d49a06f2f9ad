import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pause } from './pause.js';

describe('Pause', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track(promise: Promise<void>): { readonly done: () => boolean } {
    let done = false;
    void promise.then(() => (done = true));
    return { done: () => done };
  }

  /** Advances the clock `ms` and checks the wait ends then, to the millisecond. */
  async function expectEndsAfter(wait: { readonly done: () => boolean }, ms: number) {
    await vi.advanceTimersByTimeAsync(ms - 1);
    expect(wait.done()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.done()).toBe(true);
  }

  it('ends a wait after its time', async () => {
    await expectEndsAfter(track(new Pause().wait(500, true)), 500);
  });

  it('ends a wakeable wait on wake(), but not a backoff wait', async () => {
    const pause = new Pause();
    const idle = track(pause.wait(10_000, true));
    const backoff = track(pause.wait(10_000, false));
    pause.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(idle.done()).toBe(true);
    // Not only right after wake(): the backoff wait runs its full time.
    await expectEndsAfter(backoff, 10_000);
  });

  it('remembers a wake() that came while nobody waited, for the next wakeable wait only', async () => {
    const pause = new Pause();
    pause.wake();
    const backoff = track(pause.wait(1000, false));
    const first = track(pause.wait(1000, true));
    const second = track(pause.wait(1000, true));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.done()).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect([backoff.done(), first.done(), second.done()]).toEqual([false, true, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect([backoff.done(), second.done()]).toEqual([true, true]);
  });

  it('interruptAll() ends every wait at once', async () => {
    const pause = new Pause();
    const waits = [track(pause.wait(60_000, true)), track(pause.wait(60_000, false))];
    pause.interruptAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(waits.map((w) => w.done())).toEqual([true, true]);
  });
});
