/**
 * The poll loop's bookkeeping, driven through its seams: `poll` records the requests the loop
 * sends and answers from a script (the loop's input, not an imitation of a transmitter — the
 * transmitter itself is exercised by the Keycloak tests), `handle` returns outcomes.
 */
import { describe, expect, it } from 'vitest';
import { refuse } from '../signals/refusal.js';
import type { SignalOutcome } from '../signals/handle-signal.js';
import { startPollLoop } from './poll-loop.js';
import type { PollAnswer, PollRequest } from './poll-events.js';

const outcomes: Record<string, SignalOutcome> = {
  good: { outcome: 'accepted', jti: 'a', event: undefined },
  again: { outcome: 'duplicate', jti: 'b' },
  bad: {
    outcome: 'refused',
    error: refuse('AUDIENCE_MISMATCH', 'aud does not name this receiver'),
  },
  later: { outcome: 'refused', error: refuse('KEY_SOURCE_UNAVAILABLE', 'retry later') },
};

function run(
  script: Array<PollAnswer | Error>,
  handle = (set: string) => Promise.resolve(outcomes[set] as SignalOutcome),
) {
  const requests: PollRequest[] = [];
  const errors: unknown[] = [];
  const log: string[] = [];
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const loop = startPollLoop({
    maxEvents: 10,
    intervalMs: 1,
    poll: (request) => {
      requests.push(structuredClone(request));
      log.push('poll');
      const next = script.shift();
      if (script.length === 0) finish();
      if (next === undefined) return Promise.resolve({ sets: {} });
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    handle,
    onError: (error) => errors.push(error),
    wait: (ms) => {
      log.push(`wait ${ms}`);
      return Promise.resolve();
    },
  });
  return { requests, errors, loop, finished, log };
}

describe('startPollLoop', () => {
  it('acknowledges committed and duplicate SETs, reports refused ones, keeps the retryable ones', async () => {
    const { requests, loop, finished } = run([
      { sets: { j1: 'good', j2: 'again', j3: 'bad', j4: 'later' }, moreAvailable: false },
      { sets: {} },
    ]);
    await finished;
    await loop.stop();
    expect(requests[0]).toEqual({ maxEvents: 10, returnImmediately: true, ack: [], setErrs: {} });
    expect(requests[1]).toEqual({
      maxEvents: 10,
      returnImmediately: true,
      ack: ['j1', 'j2'],
      setErrs: { j3: { err: 'invalid_audience', description: 'aud does not name this receiver' } },
    });
  });

  it('does not acknowledge a SET whose commit failed (database down)', async () => {
    const { requests, loop, finished, errors } = run([{ sets: { j1: 'good' } }, { sets: {} }], () =>
      Promise.reject(new Error('database down')),
    );
    await finished;
    await loop.stop();
    expect(requests[1]?.ack).toEqual([]);
    expect(errors).toHaveLength(1);
  });

  it('keeps the acknowledgements of a failed poll for the next one', async () => {
    const { requests, loop, finished } = run([
      { sets: { j1: 'good' } },
      new Error('transmitter away'),
      { sets: {} },
    ]);
    await finished;
    await loop.stop();
    expect(requests[1]?.ack).toEqual(['j1']);
    expect(requests[2]?.ack).toEqual(['j1']);
  });

  it('backs off before polling again when a SET of the batch is kept for redelivery', async () => {
    const { log, loop, finished } = run([{ sets: { j1: 'later' } }, { sets: {} }]);
    await finished;
    await loop.stop();
    expect(log.slice(0, 3)).toEqual(['poll', expect.stringMatching(/^wait /), 'poll']);
  });

  it('backs off before polling again when handling a SET failed', async () => {
    const { log, loop, finished } = run([{ sets: { j1: 'good' } }, { sets: {} }], () =>
      Promise.reject(new Error('database down')),
    );
    await finished;
    await loop.stop();
    expect(log.slice(0, 3)).toEqual(['poll', expect.stringMatching(/^wait /), 'poll']);
  });

  it('polls again at once after a batch judged entirely', async () => {
    const { log, loop, finished } = run([{ sets: { j1: 'good' } }, { sets: {} }]);
    await finished;
    await loop.stop();
    expect(log.slice(0, 2)).toEqual(['poll', 'poll']);
  });

  it('sends pending acknowledgements in a last acknowledge-only request when stopped', async () => {
    const requests: PollRequest[] = [];
    let release: () => void = () => undefined;
    const judged = new Promise<void>((resolve) => (release = resolve));
    const loop = startPollLoop({
      maxEvents: 5,
      intervalMs: 1,
      poll: (request, signal) => {
        requests.push(structuredClone(request));
        if (requests.length === 1) return Promise.resolve({ sets: { j1: 'good' } });
        // Block until stopped, as a transmitter holding a request open would.
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      },
      handle: (set) => {
        release();
        return Promise.resolve(outcomes[set] as SignalOutcome);
      },
      onError: () => undefined,
      wait: () => Promise.resolve(),
    });
    await judged;
    await new Promise((resolve) => setImmediate(resolve));
    await loop.stop();
    expect(requests.at(-1)).toMatchObject({ ack: ['j1'] });
  });
});
