/**
 * The leader's loop: read the oldest unsent batch, publish it, mark it sent once the broker
 * acknowledged it (marks coalesced, see sent-marks.ts). A crash between the acknowledgement and
 * the mark re-sends the batch later: duplicates are harmless because rules merge idempotently,
 * and nothing is lost, because an event is only marked after its acknowledgement.
 */
import { pendingEvents, recordAttemptFailed } from '../outbox/outbox-rows.js';
import type { PendingEvent } from '../outbox/outbox-rows.js';
import type { Backoff } from './backoff.js';
import type { Pause } from './pause.js';
import type { PurgeSchedule } from './purge.js';
import type { ResolvedRelayOptions } from './relay-options.js';
import type { RelayState } from './relay-status.js';
import { retryWait } from './retry-wait.js';
import { SentMarks } from './sent-marks.js';
import type { ProbeVerdict } from './retry-wait.js';
import type { OutboxExecutor } from '../outbox/outbox-table.js';

/** What the loop shares with the relay that runs it. */
export interface BatchLoop<DB> {
  readonly options: ResolvedRelayOptions<DB>;
  readonly state: RelayState;
  readonly pause: Pause;
  readonly backoff: Backoff;
  readonly purge: PurgeSchedule;
  /** False once the relay stops (or, later, loses the leadership). */
  readonly keepGoing: () => boolean;
  /** The last broker probe's verdict, kept across retry waits (see retry-wait.ts). */
  probeVerdict: ProbeVerdict;
}

/** Publishes until `keepGoing()` is false; throws when the database fails. */
export async function publishBatches<DB>(
  db: OutboxExecutor<DB>,
  loop: BatchLoop<DB>,
): Promise<void> {
  const { options, state } = loop;
  const marks = new SentMarks(options.markIntervalMs, options.now());
  try {
    while (loop.keepGoing()) {
      // Also between failed publishes: acknowledged events must not wait out a broker outage
      // for their marks (the backlog gauges and a restart would count them as unsent).
      if (marks.due(options.now())) await marks.flush(db, options.now());
      await loop.purge.runIfDue(db);
      const batch = await nextBatch(db, options.batchSize, marks);
      if (batch.length === 0) {
        // Out of work: write the held marks before waiting, so the table is current when idle.
        await marks.flush(db, options.now());
        await loop.pause.wait(options.pollIntervalMs, true);
        continue;
      }
      const ids = batch.map((event) => event.id);
      try {
        await options.publisher.publish(
          batch.map((event) => ({
            key: event.messageKey,
            value: event.payload,
            eventId: event.eventId,
            ...(event.headers === undefined ? {} : { headers: event.headers }),
          })),
        );
      } catch (error) {
        await publishFailed(db, loop, ids, error);
        continue;
      }
      const ackAt = options.now();
      marks.add(ids, ackAt);
      if (marks.due(ackAt)) await marks.flush(db, ackAt);
      options.observer.published?.(batch.length);
      state.published += batch.length;
      if (!state.kafkaHealthy) options.logger.info({}, 'outbox relay is publishing again');
      state.kafkaHealthy = true;
      state.lastError = undefined;
      loop.backoff.reset();
      loop.probeVerdict = undefined;
    }
  } finally {
    // Best effort: marks lost here only mean those events are published once more.
    await marks.flush(db, options.now()).catch(() => undefined);
  }
}

/** The oldest unsent events that are not already acknowledged and waiting for their mark. */
async function nextBatch<DB>(
  db: OutboxExecutor<DB>,
  batchSize: number,
  marks: SentMarks,
): Promise<PendingEvent[]> {
  const rows = await pendingEvents(db, batchSize + marks.size);
  return rows.filter((event) => !marks.has(event.id)).slice(0, batchSize);
}

async function publishFailed<DB>(
  db: OutboxExecutor<DB>,
  loop: BatchLoop<DB>,
  ids: number[],
  error: unknown,
): Promise<void> {
  const { options, state } = loop;
  const message = error instanceof Error ? error.message : String(error);
  options.observer.publishFailed?.(ids.length, error);
  if (state.kafkaHealthy) {
    options.logger.warn(
      { err: error, events: ids.length },
      'outbox publish failed; retrying with backoff',
    );
  } else {
    options.logger.debug({ err: error, events: ids.length }, 'outbox publish failed again');
  }
  state.kafkaHealthy = false;
  state.lastError = message;
  await recordAttemptFailed(db, ids, message);
  const { publisher } = options;
  const { end, verdict } = await retryWait(
    {
      pause: loop.pause,
      probe:
        publisher.probe === undefined
          ? undefined
          : () => publisher.probe?.() ?? Promise.resolve(false),
      keepGoing: loop.keepGoing,
      random: Math.random,
    },
    loop.backoff.next(),
    loop.probeVerdict,
  );
  loop.probeVerdict = verdict;
  if (end === 'answered') {
    // The broker is back: publish now, and start the ladder afresh should that still fail.
    options.logger.info({}, 'broker answers again; publishing the backlog now');
    loop.backoff.reset();
  }
}
