/** First and longest pause between attempts to (re)start the consumer, ms. */
const RESTART_BACKOFF_MS = { initial: 250, max: 10_000 } as const;

/** The pause before restart attempt `attempt` (0-based), ms: capped exponential with jitter. */
export function restartBackoff(attempt: number): number {
  const base = Math.min(
    RESTART_BACKOFF_MS.max,
    RESTART_BACKOFF_MS.initial * 2 ** Math.min(attempt, 16),
  );
  // ±20 % jitter so a fleet restarted by one broker outage does not reconnect in lockstep.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
