/**
 * B13's receipt latency: one revocation at a time on an idle topic, each after a quiet spell
 * longer than the receipt interval (so each is "the first event after quiet", committed at
 * once), then the operator's question "has every live verifier applied it?" — asked with
 * `waitForApplied` (only the pending groups' offsets each round), or by polling `readFleet`
 * (the whole fleet each round). The operator's calls are counted client side: each
 * `groupsReading` is one ListGroups and one DescribeGroups, each `committedOffsets` round one
 * OffsetFetch per group, each `partitionRanges` one metadata read and ListOffsets.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { eventTarget, readFleet, receiptOf, waitForApplied } from '@revocation-fabric/operator';
import type { AppliedTarget, OperatorKafka } from '@revocation-fabric/operator';
import { wallClockMs } from '../lib/clock.js';
import type { RecordProducer } from '../lib/kafka.js';
import { ruleRecord, templates } from '../lib/rule-records.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import type { FleetWorker } from '../fleet/window.js';

/** The operator's calls to Kafka during one way of asking, summed over its events. */
export interface OperatorCalls {
  /** `groupsReading`: one ListGroups and one DescribeGroups each. */
  readonly groupsReadings: number;
  /** `partitionRanges`: the topic's metadata and ListOffsets (low and high). */
  readonly partitionRangeReads: number;
  /** `committedOffsets` calls: polling rounds. */
  readonly rounds: number;
  /** OffsetFetch requests: one per group per round. */
  readonly offsetFetches: number;
}

/** One way of asking for the receipt, over its events. */
export interface ReceiptWay {
  readonly way: 'waitForApplied' | 'readFleet polling';
  readonly events: number;
  /** Events whose receipt was complete (every verifier of the fleet) before the timeout. */
  readonly complete: number;
  /** Verifiers the receipts counted (the fleet, if the operator saw it whole), per event: min. */
  readonly ofMin: number;
  /** Publish (before the send) → every verifier's receipt read complete, ms. */
  readonly publishToReceiptMs: Distribution;
  /** Publish → the last verifier's onRevoked, ms: the apply alone, without its receipt. */
  readonly publishToLastApplyMs: Distribution;
  /** The wait alone (after the ack and locating the event), ms. */
  readonly waitMs: Distribution;
  /** The operator's calls per event (averages). */
  readonly callsPerEvent: OperatorCalls;
}

/** An {@link OperatorKafka} that counts the calls it passes on. */
function counting(kafka: OperatorKafka): { kafka: OperatorKafka; calls: () => OperatorCalls } {
  let groupsReadings = 0;
  let partitionRangeReads = 0;
  let rounds = 0;
  let offsetFetches = 0;
  return {
    kafka: {
      ...kafka,
      groupsReading: (topic) => {
        groupsReadings += 1;
        return kafka.groupsReading(topic);
      },
      partitionRanges: (topic) => {
        partitionRangeReads += 1;
        return kafka.partitionRanges(topic);
      },
      committedOffsets: (groupIds, topic) => {
        rounds += 1;
        offsetFetches += groupIds.length;
        return kafka.committedOffsets(groupIds, topic);
      },
    },
    calls: () => ({ groupsReadings, partitionRangeReads, rounds, offsetFetches }),
  };
}

/** Where the one event just published landed: the partition whose high-water mark moved. */
async function locate(
  locator: OperatorKafka,
  topic: string,
  before: ReadonlyMap<number, number>,
): Promise<{ target: AppliedTarget; highs: Map<number, number> }> {
  const highs = new Map(
    (await locator.partitionRanges(topic)).map(({ partition, high }) => [partition, high]),
  );
  const moved = [...highs].filter(([partition, high]) => high !== before.get(partition));
  const [only] = moved;
  if (only === undefined || moved.length !== 1 || only[1] !== (before.get(only[0]) ?? 0) + 1) {
    throw new Error(
      `expected one record on one partition, high-water marks moved: ${moved.join(' ')}`,
    );
  }
  return { target: eventTarget(only[0], only[1] - 1), highs };
}

/** What {@link measureReceipts} needs. */
export interface ReceiptRun {
  readonly operator: OperatorKafka;
  /** A second client, uncounted, that finds each event's partition and offset. */
  readonly locator: OperatorKafka;
  readonly producer: RecordProducer;
  readonly topic: string;
  readonly workers: readonly FleetWorker[];
  readonly verifiers: number;
  readonly quietMs: number;
  readonly timeoutMs: number;
}

/** Publishes `events` revocations one at a time and asks for each one's receipt `way`. */
export async function measureReceipts(
  run: ReceiptRun,
  way: ReceiptWay['way'],
  events: number,
): Promise<ReceiptWay> {
  const lastApply = new Map<string, { reports: number; last: number }>();
  for (const worker of run.workers) {
    worker.on('applied', ({ sid, last }) => {
      const entry = lastApply.get(sid) ?? { reports: 0, last };
      entry.reports += 1;
      entry.last = Math.max(entry.last, last);
      lastApply.set(sid, entry);
    });
  }
  const { kafka, calls } = counting(run.operator);
  const template = templates(Date.now());
  let highs = new Map(
    (await run.locator.partitionRanges(run.topic)).map(({ partition, high }) => [partition, high]),
  );
  const toReceipt: number[] = [];
  const toApply: number[] = [];
  const waits: number[] = [];
  let complete = 0;
  let ofMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < events; i++) {
    await sleep(run.quietMs);
    const record = ruleRecord(template, 'session');
    const { sid } = JSON.parse(record.value) as { sid: string };
    const publishedAt = wallClockMs();
    await run.producer.send(run.topic, [record]);
    const located = await locate(run.locator, run.topic, highs);
    highs = located.highs;
    const waitStarted = wallClockMs();
    const of = await (way === 'waitForApplied'
      ? waitForApplied(kafka, {
          topic: run.topic,
          target: located.target,
          timeoutMs: run.timeoutMs,
        })
      : pollFleet(kafka, run.topic, located.target, run.timeoutMs));
    const doneAt = wallClockMs();
    if (of.complete && of.of === run.verifiers) complete += 1;
    ofMin = Math.min(ofMin, of.of);
    toReceipt.push(doneAt - publishedAt);
    waits.push(doneAt - waitStarted);
    // The apply reports cross IPC: give the last of them a moment.
    const deadline = performance.now() + 2_000;
    while (
      (lastApply.get(sid)?.reports ?? 0) < run.workers.length &&
      performance.now() < deadline
    ) {
      await sleep(10);
    }
    const applied = lastApply.get(sid);
    if (applied !== undefined && applied.reports === run.workers.length) {
      toApply.push(applied.last - publishedAt);
    }
  }
  const total = calls();
  const per = (n: number) => Math.round((n / events) * 100) / 100;
  return {
    way,
    events,
    complete,
    ofMin,
    publishToReceiptMs: summarize(toReceipt, 1, 1),
    publishToLastApplyMs: summarize(toApply, 1, 1),
    waitMs: summarize(waits, 1, 1),
    callsPerEvent: {
      groupsReadings: per(total.groupsReadings),
      partitionRangeReads: per(total.partitionRangeReads),
      rounds: per(total.rounds),
      offsetFetches: per(total.offsetFetches),
    },
  };
}

/** `readFleet` every 50 ms (waitForApplied's default poll) until the receipt is complete. */
async function pollFleet(
  kafka: OperatorKafka,
  topic: string,
  target: AppliedTarget,
  timeoutMs: number,
): Promise<{ complete: boolean; of: number }> {
  const started = performance.now();
  for (;;) {
    const receipt = receiptOf(await readFleet(kafka, { topic }), target);
    if (receipt.complete || performance.now() - started >= timeoutMs) return receipt;
    await sleep(50);
  }
}
