/**
 * The relay's wait after a failed publish. It lasts the backoff delay, but while it runs the
 * publisher is probed (cheaply, at a jittered interval) when it can be: a broker that answers
 * again ends the wait at once, so the backlog of an outage of any length goes out within a probe
 * interval of the broker's return instead of after a backoff grown to `maxRetryDelayMs`.
 *
 * A probe answer only ends the wait when the failure was not already made while the broker
 * answered: a broker that answers yet refuses the publish (authorization, a missing topic) is
 * retried on the normal backoff ladder, not at the probe's pace. See README, "How the relay works".
 */
import type { Pause } from './pause.js';

/** Mean pause between probes during a retry wait, ms; each is drawn in ±50 % of it. */
export const RETRY_PROBE_INTERVAL_MS = 400;

/** What the last probe said; `undefined` when none ran since the last successful publish. */
export type ProbeVerdict = boolean | undefined;

/** How a retry wait ended. */
export type RetryWaitEnd = 'expired' | 'answered' | 'stopped';

/** What a retry wait needs. */
export interface RetryWait {
  readonly pause: Pause;
  /** The publisher's probe, if it has one: true when the broker answers. Must not reject. */
  readonly probe: (() => Promise<boolean>) | undefined;
  /** False once the relay stops. */
  readonly keepGoing: () => boolean;
  /** Jitter source in [0, 1). */
  readonly random: () => number;
}

/**
 * Waits `delayMs` (in real time, through `pause`), ending early when a probe answers and either
 * the last verdict before the wait was not "answers" or a probe during the wait saw it away.
 *
 * @returns how the wait ended, and the last probe verdict.
 */
export async function retryWait(
  wait: RetryWait,
  delayMs: number,
  verdictBefore: ProbeVerdict,
): Promise<{ readonly end: RetryWaitEnd; readonly verdict: ProbeVerdict }> {
  const { pause, probe } = wait;
  if (probe === undefined) {
    await pause.wait(delayMs, false);
    return { end: wait.keepGoing() ? 'expired' : 'stopped', verdict: verdictBefore };
  }
  let verdict = verdictBefore;
  let wakeOnAnswer = verdictBefore !== true;
  let waited = 0;
  while (waited < delayMs) {
    const step = Math.min(delayMs - waited, RETRY_PROBE_INTERVAL_MS * (0.5 + wait.random()));
    // Not wakeable: new commits must not shorten the backoff of a broker that is away.
    await pause.wait(step, false);
    waited += step;
    if (!wait.keepGoing()) return { end: 'stopped', verdict };
    if (waited >= delayMs) break;
    verdict = await probe();
    if (!wait.keepGoing()) return { end: 'stopped', verdict };
    if (!verdict) wakeOnAnswer = true;
    else if (wakeOnAnswer) return { end: 'answered', verdict };
  }
  return { end: 'expired', verdict };
}
