/**
 * B7's two event phases: propagation of single rules to idle verifiers (does a long fetch wait
 * delay delivery?) and the CPU a verifier spends per 1,000 applied events of a burst.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchContext } from '../context.js';
import { wallClockMs } from '../lib/clock.js';
import { recordProducer } from '../lib/kafka.js';
import { ruleRecord, templates } from '../lib/rule-records.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import type { B7Result, B7Row, IdleWorker } from './run.js';
import { read } from './run.js';

const APPLY_TIMEOUT_MS = 30_000;

/**
 * Publishes `count` session rules one at a time, 150–450 ms apart (so every verifier is idle,
 * its fetches parked at the broker, when each arrives) and returns producer ack → applied, ms,
 * over every verifier and rule.
 */
export async function propagation(
  ctx: BenchContext,
  verifiers: readonly IdleWorker[],
  topic: string,
  count: number,
): Promise<Distribution> {
  const producer = recordProducer(ctx.brokers, 'bench-b7-producer');
  await producer.connect();
  const applied = new Map<string, number[]>();
  for (const worker of verifiers) {
    worker.on('applied', ({ sid, at }) => {
      const list = applied.get(sid) ?? [];
      list.push(at);
      applied.set(sid, list);
    });
  }
  const samples: number[] = [];
  try {
    const template = templates(Date.now());
    for (let i = 0; i < count; i++) {
      const record = ruleRecord(template, 'session');
      const { sid } = JSON.parse(record.value) as { sid: string };
      await producer.send(topic, [record]);
      const ackAt = wallClockMs();
      const deadline = performance.now() + APPLY_TIMEOUT_MS;
      while ((applied.get(sid)?.length ?? 0) < verifiers.length) {
        if (performance.now() > deadline) throw new Error(`B7: rule ${sid} not applied everywhere`);
        await sleep(1);
      }
      for (const at of applied.get(sid) ?? []) samples.push(at - ackAt);
      await sleep(150 + Math.random() * 300);
    }
  } finally {
    await producer.disconnect();
  }
  const result = summarize(samples, 1, 2);
  ctx.log(
    `B7 propagation: ack → applied p50 ${result.p50} ms, max ${result.max} ms (n ${result.n})`,
  );
  return result;
}

/**
 * Publishes `count` token rules at once and reads each verifier's CPU from before the burst
 * until it applied them all; the idle rate of the window is subtracted.
 */
export async function burstCost(
  ctx: BenchContext,
  verifiers: readonly IdleWorker[],
  idle: readonly B7Row[],
  topic: string,
  count: number,
): Promise<B7Result['burst']> {
  const producer = recordProducer(ctx.brokers, 'bench-b7-burst');
  await producer.connect();
  try {
    const template = templates(Date.now());
    const records = Array.from({ length: count }, () => ruleRecord(template, 'token'));
    const before = await Promise.all(verifiers.map(read));
    const started = performance.now();
    for (let i = 0; i < records.length; i += 1_000) {
      await producer.send(topic, records.slice(i, i + 1_000));
    }
    const after = await Promise.all(
      verifiers.map(async (worker, i) => {
        const target = (before[i]?.sample.applied ?? 0) + count;
        const deadline = performance.now() + APPLY_TIMEOUT_MS;
        for (;;) {
          const reading = await read(worker);
          if (reading.sample.applied >= target) return reading;
          if (performance.now() > deadline)
            throw new Error(`B7: burst not applied by ${worker.name}`);
          await sleep(100);
        }
      }),
    );
    const wallMs = performance.now() - started;
    const costs = verifiers.map((_, i) => {
      const a = before[i];
      const b = after[i];
      if (a === undefined || b === undefined) return NaN;
      const idleMs = ((idle[i]?.cpuUsageMsPerS ?? 0) * (b.at - a.at)) / 1000;
      return ((b.sample.cpuMs - a.sample.cpuMs - idleMs) * 1000) / count;
    });
    const cpuMsPer1000 = costs.reduce((x, y) => x + y, 0) / Math.max(1, costs.length);
    ctx.log(`B7 burst: ${count} events, ${cpuMsPer1000.toFixed(1)} ms CPU per verifier per 1,000`);
    return { events: count, cpuMsPer1000, wallMs };
  } finally {
    await producer.disconnect();
  }
}
