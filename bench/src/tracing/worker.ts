/**
 * B12 worker: one verifier in this process, fed by hand (no broker: what is measured is the
 * verifier's own work), timed with OpenTelemetry off (no SDK registered, the API's no-op) and on
 * (the SDK's tracer provider with an in-memory exporter), block by block, alternating:
 * `verify()` of cached tokens, and the apply of one revocation event per call, with the record's
 * trace context and without.
 */
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { createEvent, formatTraceparent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { createVerifier } from '@revocation-fabric/verifier';
import type {
  EventOrigin,
  FeedStats,
  RevocationFeed,
  RevocationSink,
} from '@revocation-fabric/verifier';
import type { Message } from '../lib/child.js';
import { median } from '../lib/stats.js';
import { timeBatchesAsync, timeBatchesSync } from '../lib/timing.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, createBenchKey, keySet, mintTokens } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';

export interface TracingCostRequest extends Message {
  readonly type: 'run';
  /** Alternating off/on rounds; each arm gets one block per round. */
  readonly rounds: number;
  /** verify() calls per block. */
  readonly verifyOps: number;
  /** Events applied per block. */
  readonly applyOps: number;
}

/** Medians over the rounds of each block's mean, ns per call. */
export interface TracingCostCase {
  readonly verifyOffNs: number;
  readonly verifyOnNs: number;
  /** An event without a traceparent, tracing off: the apply as it was before tracing. */
  readonly applyUntracedOffNs: number;
  /** An event carrying a traceparent, tracing off: what a verifier without an SDK pays. */
  readonly applyTracedOffNs: number;
  /** The same with tracing on: a `process` span per event, exported in memory. */
  readonly applyTracedOnNs: number;
  /** An event without a traceparent, tracing on. */
  readonly applyUntracedOnNs: number;
  /** Spans exported per traced event with tracing on (1: the `process` span). */
  readonly spansPerTracedEvent: number;
  /** Medians of the ratios taken round by round (each of two blocks run next to each other). */
  readonly pairedRatios: {
    readonly verifyOnOverOff: number;
    readonly applyTracedOffOverUntracedOff: number;
    readonly applyTracedOnOverOff: number;
  };
}

export interface TracingCostResult extends Message {
  readonly type: 'result';
  readonly result: TracingCostCase;
}

const SOURCE = 'auth.revocations';
const WARM_TOKENS = 1_000;

/** A feed driven by this worker: ready at once, events handed to the sink directly. */
class HandFeed implements RevocationFeed {
  sink: RevocationSink | undefined;
  start(sink: RevocationSink): void {
    this.sink = sink;
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  isReady(): boolean {
    return true;
  }
  lastContactAt(): number {
    return Date.now();
  }
  stats(): FeedStats {
    return {
      ready: true,
      lastContactAt: Date.now(),
      lagByPartition: {},
      applied: 0,
      poisonByCode: {},
    };
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

let sequence = 0;

const twoDigits = (value: number): number => Math.round(value * 100) / 100;

/** `count` session revocations never applied before, each with its origin. */
function events(count: number, traced: boolean): [RevocationEvent, EventOrigin][] {
  return Array.from({ length: count }, () => {
    sequence += 1;
    const event = createEvent({
      kind: 'session',
      sid: `s-${sequence}`,
      reason: 'logout',
      actor: 'bench',
      iss: BENCH_ISSUER,
    });
    const hex = sequence.toString(16).padStart(16, '0');
    const origin: EventOrigin = {
      source: SOURCE,
      payload: '',
      ...(traced
        ? {
            trace: {
              traceparent: formatTraceparent({
                traceId: `${hex}${hex}`,
                spanId: hex,
                traceFlags: 1,
              }),
            },
          }
        : {}),
    };
    return [event, origin];
  });
}

async function run(request: TracingCostRequest): Promise<TracingCostCase> {
  const key = await createBenchKey();
  const tokens = await mintTokens(key, WARM_TOKENS);
  const feed = new HandFeed();
  const verifier = createVerifier({
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
    algorithms: ['ES256'],
    jwks: keySet(key),
    revocations: () => feed,
  });
  await verifier.ready();
  // A listener, as the socket.io adapter has one: the applied rule's context reaches it.
  verifier.onRevoked(() => undefined);
  for (const token of tokens) await verifier.verify(token);
  const sink = feed.sink;
  if (sink === undefined) throw new Error('the verifier did not start its feed');

  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const on = (): void => {
    trace.setGlobalTracerProvider(provider);
  };
  const off = (): void => {
    trace.disable();
  };

  const verifyBlock = async (): Promise<number> =>
    (
      await timeBatchesAsync(1, request.verifyOps, (i) =>
        verifier.verify(tokens[i % WARM_TOKENS] ?? ''),
      )
    )[0] ?? NaN;
  const applyBlock = (traced: boolean): number => {
    const batch = events(request.applyOps, traced);
    return (
      timeBatchesSync(1, request.applyOps, (i) => {
        const [event, origin] = batch[i] as [RevocationEvent, EventOrigin];
        sink.event(event, origin);
      })[0] ?? NaN
    );
  };

  const samples = {
    verifyOff: [] as number[],
    verifyOn: [] as number[],
    applyTracedOff: [] as number[],
    applyUntracedOff: [] as number[],
    applyTracedOn: [] as number[],
    applyUntracedOn: [] as number[],
  };
  const paired = { verify: [] as number[], header: [] as number[], span: [] as number[] };
  let tracedOnEvents = 0;
  let tracedOnSpans = 0;
  // Within an arm the traced and untraced blocks swap order every round too.
  const both = (tracedFirst: boolean) => {
    const first = applyBlock(tracedFirst);
    const second = applyBlock(!tracedFirst);
    return tracedFirst ? { traced: first, untraced: second } : { traced: second, untraced: first };
  };
  const offArm = async (tracedFirst: boolean) => {
    off();
    const verify = await verifyBlock();
    return { verify, ...both(tracedFirst) };
  };
  const onArm = async (tracedFirst: boolean) => {
    on();
    const verify = await verifyBlock();
    exporter.reset();
    const applied = both(tracedFirst);
    const spans = exporter.getFinishedSpans().length;
    exporter.reset();
    off();
    return { verify, ...applied, spans };
  };
  // Round 0 warms both arms up and is not counted. The arms swap order every round, so a drift
  // in the machine's load weighs on both alike; ratios are also taken round by round.
  for (let round = 0; round <= request.rounds; round++) {
    const offFirst = round % 2 === 0;
    const tracedFirst = round % 4 < 2;
    const first = offFirst ? await offArm(tracedFirst) : await onArm(tracedFirst);
    const second = offFirst ? await onArm(tracedFirst) : await offArm(tracedFirst);
    const [offRun, onRun] = (offFirst ? [first, second] : [second, first]) as [
      Awaited<ReturnType<typeof offArm>>,
      Awaited<ReturnType<typeof onArm>>,
    ];
    if (round === 0) continue;
    samples.verifyOff.push(offRun.verify);
    samples.verifyOn.push(onRun.verify);
    samples.applyTracedOff.push(offRun.traced);
    samples.applyUntracedOff.push(offRun.untraced);
    samples.applyTracedOn.push(onRun.traced);
    samples.applyUntracedOn.push(onRun.untraced);
    paired.verify.push(onRun.verify / offRun.verify);
    paired.header.push(offRun.traced / offRun.untraced);
    paired.span.push(onRun.traced / offRun.traced);
    tracedOnEvents += request.applyOps;
    tracedOnSpans += onRun.spans;
  }
  await verifier.close();
  await provider.shutdown();
  const round = (ns: number) => Math.round(ns);
  return {
    verifyOffNs: round(median(samples.verifyOff)),
    verifyOnNs: round(median(samples.verifyOn)),
    applyTracedOffNs: round(median(samples.applyTracedOff)),
    applyUntracedOffNs: round(median(samples.applyUntracedOff)),
    applyTracedOnNs: round(median(samples.applyTracedOn)),
    applyUntracedOnNs: round(median(samples.applyUntracedOn)),
    spansPerTracedEvent: Math.round((tracedOnSpans / tracedOnEvents) * 100) / 100,
    pairedRatios: {
      verifyOnOverOff: twoDigits(median(paired.verify)),
      applyTracedOffOverUntracedOff: twoDigits(median(paired.header)),
      applyTracedOnOverOff: twoDigits(median(paired.span)),
    },
  };
}

listen<TracingCostRequest>(async (request) => {
  reply<TracingCostResult>({ type: 'result', result: await run(request) });
});
process.on('uncaughtException', fail);
