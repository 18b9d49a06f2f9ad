/**
 * B12 — what OpenTelemetry costs the verifier (issue 22): `verify()` per request and the apply
 * per event, tracing off (no SDK registered: the default) against on (an SDK with an in-memory
 * exporter), measured side by side in one process.
 */
import type { BenchContext } from '../context.js';
import { WorkerProcess } from '../lib/child.js';
import { ratio } from '../lib/stats.js';
import type { TracingCostCase, TracingCostRequest, TracingCostResult } from './worker.js';

export interface B12Result extends TracingCostCase {
  readonly method: string;
  readonly rounds: number;
  readonly verifyOps: number;
  readonly applyOps: number;
  readonly ratios: {
    /** verify() with tracing on ÷ off: the per-request path has no tracing code. */
    readonly verifyOnOverOff: number;
    /** A traced event's apply with tracing off ÷ an untraced one's: the price of the header. */
    readonly applyTracedOffOverUntracedOff: number;
    /** A traced event's apply, on ÷ off: the price of a `process` span. */
    readonly applyTracedOnOverOff: number;
    /** An untraced event's apply with tracing on ÷ a traced one's with tracing off. */
    readonly applyUntracedOnOverTracedOff: number;
  };
}

export async function runB12(ctx: BenchContext): Promise<B12Result> {
  const rounds = ctx.quick ? 10 : 40;
  const verifyOps = ctx.quick ? 10_000 : 20_000;
  const applyOps = ctx.quick ? 1_000 : 2_000;
  const worker = WorkerProcess.start<TracingCostRequest | { type: 'stop' }, TracingCostResult>(
    'tracing/worker',
    'b12',
  );
  try {
    worker.send({ type: 'run', rounds, verifyOps, applyOps });
    const { result } = await worker.next('result', 10 * 60_000);
    ctx.log(
      `B12: verify ${result.verifyOffNs} ns off / ${result.verifyOnNs} ns on; apply ${result.applyTracedOffNs} ns off / ${result.applyTracedOnNs} ns on (untraced event, on: ${result.applyUntracedOnNs} ns)`,
    );
    return {
      ...result,
      method: `One child process, one verifier fed by hand (no broker), ${rounds} rounds after a warm-up round; each round times, with tracing off (no SDK registered) then on (the SDK's TracerProvider, a SimpleSpanProcessor and an InMemorySpanExporter registered globally), a block of ${verifyOps.toLocaleString('en-US')} verify() calls of 1,000 cached tokens and blocks of ${applyOps.toLocaleString('en-US')} new session revocations handed to the verifier's sink, once with a traceparent and once without, one listener subscribed; the arms swap order every round, and so do the traced and untraced blocks within an arm. Times are medians of the block means; the first three ratios are medians of the ratios taken round by round, the last a ratio of medians.`,
      rounds,
      verifyOps,
      applyOps,
      // Round by round: two blocks run next to each other share the machine's load of the moment.
      ratios: {
        verifyOnOverOff: result.pairedRatios.verifyOnOverOff,
        applyTracedOffOverUntracedOff: result.pairedRatios.applyTracedOffOverUntracedOff,
        applyTracedOnOverOff: result.pairedRatios.applyTracedOnOverOff,
        applyUntracedOnOverTracedOff: ratio(result.applyUntracedOnNs, result.applyTracedOffNs),
      },
    };
  } finally {
    await worker.stop();
  }
}
