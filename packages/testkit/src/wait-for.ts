import { setTimeout as sleep } from 'node:timers/promises';
import { WaitForTimeoutError } from './errors.js';

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long, in ms. Default: 10 000. */
  readonly timeoutMs?: number;
  /** Pause between attempts, in ms. Default: 100. */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout message. Default: `condition`. */
  readonly description?: string;
}

/**
 * Polls `condition` until it returns a value other than `false`, `null` or `undefined`, and
 * resolves with that value. A throwing (or rejecting) attempt counts as "not yet"; on timeout
 * the last such error becomes the `cause` of the {@link WaitForTimeoutError}.
 *
 * For eventually-true facts in integration tests (a consumer caught up, a node rejoined) in
 * place of fixed sleeps, which are either too short on a busy machine or waste time.
 *
 * @throws {WaitForTimeoutError} the condition did not hold within `timeoutMs`.
 * @example
 * ```ts
 * await waitFor(() => received.size >= 100, { timeoutMs: 30_000, description: '100 records' });
 * ```
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | null | undefined>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(
      `timeoutMs must be a non-negative number of milliseconds, got ${timeoutMs}`,
    );
  }
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
    throw new TypeError(`intervalMs must be a positive number of milliseconds, got ${intervalMs}`);
  }
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== false && value !== null && value !== undefined) {
        return value as Exclude<T, false | null | undefined>;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new WaitForTimeoutError(options.description ?? 'condition', timeoutMs, {
        cause: lastError,
      });
    }
    await sleep(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
}
