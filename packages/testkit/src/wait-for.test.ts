import { describe, expect, it } from 'vitest';
import { WaitForTimeoutError } from './errors.js';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first value that is not false, null or undefined', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), {
      intervalMs: 1,
    });
    expect(value).toBe('after 3');
  });

  it('treats a throwing attempt as not yet and reports the last error on timeout', async () => {
    const failure = waitFor(
      () => {
        throw new Error('still loading');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the coordinator' },
    );
    await expect(failure).rejects.toBeInstanceOf(WaitForTimeoutError);
    await expect(failure).rejects.toThrow(
      'timed out after 30 ms waiting for the coordinator: still loading',
    );
  });

  it('refuses a non-positive interval', async () => {
    await expect(waitFor(() => true, { intervalMs: 0 })).rejects.toThrow(TypeError);
  });
});
