/**
 * Client-choice, propagation phase: one reader of one client tails a fresh topic while the
 * parent produces session rules at a steady rate (kafkajs producer, acks=all, the same for both
 * arms); latency from the moment each send starts, and from its ack, to the record's arrival in
 * the reader, on the shared wall clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { wallClockMs } from '../lib/clock.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import { createRevocationTopic, deleteTopics, recordProducer } from '../lib/kafka.js';
import { ruleRecord, templates } from '../lib/rule-records.js';
import { paced } from '../propagation/run.js';
import { roundOrder, startWorker } from './arm.js';

/** One propagation arm of one round; latencies in ms. */
export interface PropagationArm {
  readonly client: ReaderKind;
  readonly round: number;
  readonly events: number;
  readonly ratePerS: number;
  /** Send started → received, one per event received. */
  readonly fromSendMs: readonly number[];
  /** Producer ack → received (negative when the record arrived before the ack). */
  readonly fromAckMs: readonly number[];
  readonly missing: number;
  readonly machineBusy: number;
}

/** The reader's long poll is parked at the broker before the first event. */
const SETTLE_MS = 3_000;
const ARRIVAL_TIMEOUT_MS = 15_000;

async function propagationArm(
  ctx: BenchContext,
  client: ReaderKind,
  round: number,
  events: number,
  ratePerS: number,
  fetchWaitMs: number,
): Promise<PropagationArm> {
  const topic = uniqueTopic(`bench-cc-tail-${client}`);
  await createRevocationTopic(ctx.brokers, topic);
  const worker = startWorker(`tail-${client}`);
  const producer = recordProducer(ctx.brokers, 'bench-cc-producer');
  const received = new Map<string, number>();
  worker.on('received', ({ key, at }) => received.set(key, at));
  try {
    await producer.connect();
    const common = { brokers: ctx.brokers, topic, fetchWaitMs };
    worker.send({ type: 'start', client, count: 1, receipts: true, ...common });
    await worker.next('ready', 120_000);
    await sleep(SETTLE_MS);
    const template = templates(Date.now());
    const sent = new Map<string, { at: number; ackAt?: number }>();
    const sends: Promise<void>[] = [];
    const machineBefore = cpuTimes();
    await paced(ratePerS, events, () => {
      const record = ruleRecord(template, 'session');
      const entry: { at: number; ackAt?: number } = { at: wallClockMs() };
      sent.set(record.key, entry);
      sends.push(
        producer.send(topic, [record]).then(() => {
          entry.ackAt = wallClockMs();
        }),
      );
    });
    await Promise.all(sends);
    const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
    while (received.size < events && performance.now() < deadline) await sleep(20);
    const machineBusy = busyShare(machineBefore, cpuTimes());
    const fromSendMs: number[] = [];
    const fromAckMs: number[] = [];
    for (const [key, { at, ackAt }] of sent) {
      const arrival = received.get(key);
      if (arrival === undefined) continue;
      fromSendMs.push(arrival - at);
      if (ackAt !== undefined) fromAckMs.push(arrival - ackAt);
    }
    ctx.log(
      `client-choice propagation r${round} ${client}: ${fromSendMs.length}/${events} received`,
    );
    return {
      client,
      round,
      events,
      ratePerS,
      fromSendMs,
      fromAckMs,
      missing: events - fromSendMs.length,
      machineBusy,
    };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await worker.stop();
    await deleteTopics(ctx.brokers, [topic]);
  }
}

/** Runs the propagation arms, the clients' order swapped every round. */
export async function propagationPhase(
  ctx: BenchContext,
  plan: { readonly rounds: number; readonly events: number; readonly ratePerS: number },
  fetchWaitMs: number,
): Promise<PropagationArm[]> {
  const arms: PropagationArm[] = [];
  for (let round = 0; round < plan.rounds; round++) {
    for (const client of roundOrder(round)) {
      arms.push(await propagationArm(ctx, client, round, plan.events, plan.ratePerS, fetchWaitMs));
    }
  }
  return arms;
}
