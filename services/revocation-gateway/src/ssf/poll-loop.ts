/**
 * The RFC 8936 poll loop of one stream: ask for SETs with `returnImmediately`, hand each to the
 * signal path, and in the NEXT request acknowledge exactly the jtis whose events were committed
 * (or were duplicates of committed ones) and report the refused ones in `setErrs`. A SET that
 * could not be judged (keys out of reach, database down) is neither: the transmitter keeps it
 * and delivers it again. Errors back off exponentially, and so does a batch holding such a SET
 * (it would come straight back); `stop` ends the loop after a last
 * acknowledge-only request (`maxEvents: 0`), so nothing committed is delivered twice needlessly.
 */
import type { PollAnswer, PollRequest } from './poll-events.js';
import type { SignalOutcome } from '../signals/handle-signal.js';

/** What the loop needs. */
export interface PollLoopDeps {
  readonly maxEvents: number;
  /** Idle wait between empty polls, ms. */
  readonly intervalMs: number;
  /** Longest wait after failures, ms. Default 60 000. */
  readonly maxBackoffMs?: number;
  /** One poll request. */
  readonly poll: (request: PollRequest, signal: AbortSignal) => Promise<PollAnswer>;
  /** The signal path for one SET. Throws only for a real failure (database). */
  readonly handle: (set: string) => Promise<SignalOutcome>;
  readonly onError: (error: unknown, failures: number) => void;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** A running loop. */
export interface PollLoop {
  /** Resolves when the loop has ended. */
  readonly done: Promise<void>;
  /** Ends the loop (after the acknowledge-only request) and waits for it. */
  stop(): Promise<void>;
}

type SetErrors = Record<string, { err: string; description: string }>;

/**
 * Starts polling.
 *
 * @example
 * ```ts
 * const loop = startPollLoop({ maxEvents: 50, intervalMs: 1000, poll, handle, onError, wait });
 * await loop.stop();
 * ```
 */
export function startPollLoop(deps: PollLoopDeps): PollLoop {
  const controller = new AbortController();
  const { signal } = controller;
  let ack: string[] = [];
  let setErrs: SetErrors = {};
  const maxBackoff = deps.maxBackoffMs ?? 60_000;

  /** Judges a batch; `true` when a SET could not be judged (it threw or must be retried). */
  async function judge(answer: PollAnswer): Promise<boolean> {
    let troubled = false;
    for (const [jti, set] of Object.entries(answer.sets)) {
      let outcome: SignalOutcome;
      try {
        outcome = await deps.handle(set);
      } catch (error) {
        deps.onError(error, 0);
        troubled = true;
        continue;
      }
      if (outcome.outcome !== 'refused') ack.push(jti);
      else if (outcome.error.answer.retry) troubled = true;
      else {
        setErrs[jti] = { err: outcome.error.answer.setErr, description: outcome.error.message };
      }
    }
    return troubled;
  }

  const backOff = (failures: number): Promise<void> => {
    const ceiling = Math.min(maxBackoff, deps.intervalMs * 2 ** failures);
    return deps.wait(ceiling / 2 + Math.random() * (ceiling / 2), signal);
  };

  async function run(): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const request: PollRequest = {
        maxEvents: deps.maxEvents,
        returnImmediately: true,
        ack,
        setErrs,
      };
      let answer: PollAnswer;
      try {
        answer = await deps.poll(request, signal);
      } catch (error) {
        if (signal.aborted) break;
        failures += 1;
        deps.onError(error, failures);
        await backOff(failures);
        continue;
      }
      // The transmitter has them now; a later failure must not send them again.
      ack = [];
      setErrs = {};
      if (await judge(answer)) {
        // A SET kept for redelivery (keys or database away) comes back in the very next
        // answer: polling again at once would spin, so wait as after a failed poll.
        failures += 1;
        await backOff(failures);
        continue;
      }
      failures = 0;
      const pending = ack.length > 0 || Object.keys(setErrs).length > 0;
      if (Object.keys(answer.sets).length === 0 && answer.moreAvailable !== true && !pending) {
        await deps.wait(deps.intervalMs, signal);
      }
    }
    if (ack.length > 0 || Object.keys(setErrs).length > 0) {
      // Acknowledge-only (RFC 8936 §2.4: maxEvents 0), best effort, with its own deadline.
      await deps
        .poll({ maxEvents: 0, returnImmediately: true, ack, setErrs }, AbortSignal.timeout(3000))
        .catch((error: unknown) => deps.onError(error, 0));
    }
  }

  const done = run();
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/**
 * A wait that ends early when `signal` aborts.
 *
 * @example
 * ```ts
 * await abortableWait(1000, controller.signal);
 * ```
 */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
