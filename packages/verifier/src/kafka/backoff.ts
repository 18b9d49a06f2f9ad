/** First and longest pause between attempts to (re)start the consumer, ms. */
export const RESTART_BACKOFF_MS = { initial: 250, max: 10_000 } as const;

/**
 * The pause before restart attempt `attempt` (0-based), ms: capped exponential with ±20 %
 * jitter. `random` is the jitter source in [0, 1), default `Math.random`.
 *
 * @example
 * ```ts
 * restartBackoff(0, () => 0.5); // 250
 * restartBackoff(3, () => 0.5); // 2000
 * restartBackoff(9, () => 0.5); // 10000
 * ```
 */
export function restartBackoff(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(
    RESTART_BACKOFF_MS.max,
    RESTART_BACKOFF_MS.initial * 2 ** Math.min(attempt, 16),
  );
  // ±20 % jitter so a fleet restarted by one broker outage does not reconnect in lockstep.
  return Math.round(base * (0.8 + random() * 0.4));
}
