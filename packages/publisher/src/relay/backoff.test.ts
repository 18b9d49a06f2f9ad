import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles its ceiling up to the cap, draws each delay below it, and resets', () => {
    // random() = 1 shows the ceiling itself.
    const backoff = new Backoff(250, 1000, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      250, 500, 1000, 1000,
    ]);
    backoff.reset();
    expect(backoff.next()).toBe(250);
  });

  it('never waits less than the floor', () => {
    const backoff = new Backoff(250, 1000, () => 0);
    expect(backoff.next()).toBe(50);
    expect(backoff.next(10)).toBe(10);
  });

  it('jitters below the ceiling', () => {
    const backoff = new Backoff(1000, 8000, () => 0.5);
    expect([backoff.next(), backoff.next()]).toEqual([500, 1000]);
  });
});
