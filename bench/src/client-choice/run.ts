/**
 * B9 — client choice (issue 18): kafkajs 2.2.4 (with the idle-timer fix) against
 * @platformatic/kafka 2.x as the verifier's broadcast reader, on the same broker: idle cost (1 and
 * 10 readers in a process), propagation under a steady trickle, cold start of a filled topic.
 * Every arm is its own process; arms alternate and the readers' order rotates every round.
 */
import { loadavg, cpus } from 'node:os';
import { uniqueTopic } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { createRevocationTopic, deleteTopics } from '../lib/kafka.js';
import { median } from '../lib/stats.js';
import { coldStartPhase } from './cold-start.js';
import type { ColdStartRun } from './cold-start.js';
import { clientFacts } from './facts.js';
import type { ClientFacts } from './facts.js';
import { idlePhase } from './idle.js';
import type { IdleArm } from './idle.js';
import { propagationPhase } from './propagation.js';
import { summarizeClients } from './summary.js';
import type { ClientSummary, PropagationArmSummary, Ratios } from './summary.js';

export interface B9Result {
  readonly method: string;
  readonly brokers: readonly string[];
  /** The fetch wait both readers use: the verifier's `fetchWaitMs()` default, ms. */
  readonly fetchWaitMs: number;
  readonly plan: {
    readonly idle: {
      readonly rounds: number;
      readonly consumerCounts: readonly number[];
      readonly warmupMs: number;
      readonly windowMs: number;
    };
    readonly propagation: {
      readonly rounds: number;
      readonly events: number;
      readonly ratePerS: number;
    };
    readonly coldStart: { readonly repetitions: number; readonly rules: number };
  };
  readonly idle: readonly IdleArm[];
  readonly propagation: readonly PropagationArmSummary[];
  readonly coldStart: readonly ColdStartRun[];
  readonly clients: readonly ClientSummary[];
  /** Each @platformatic/kafka reader ÷ kafkajs, of medians (below 1: it is better). */
  readonly ratios: Partial<Record<ReaderKind, Ratios>>;
  readonly facts: readonly ClientFacts[];
  /** The machine: cores, 1-min load at the start and the end, busiest and calmest idle window. */
  readonly machine: {
    readonly cores: number;
    readonly loadavgStart: readonly number[];
    readonly loadavgEnd: readonly number[];
    readonly idleWindowBusy: {
      readonly min: number;
      readonly median: number;
      readonly max: number;
    };
  };
}

/** The verifier's fetch wait with its default staleness window (`fetch-wait.ts`). */
export const VERIFIER_FETCH_WAIT_MS = 2_500;

const METHOD =
  "Two bare broadcast readers configured as the verifier feed is (own consumer group per instance, nothing committed, read from the beginning, fetch wait 2.5 s with minBytes 1, high-water marks captured before the first fetch): kafkajs 2.2.4 with the idle-timer fix and no request-timeout interval on the consumer (admin client for the marks, disconnected after the replay), and @platformatic/kafka with autocommit off (marks from its consumer listOffsets), once with the settings the feed inherits from kafkajs' defaults (1 MiB per partition, 10 MiB per fetch, metadata max age 5 min, session 30 s) and once with its own defaults (50 MiB fetches, metadata max age 5 s, session 60 s). Every arm is a fresh child process that loads only its client; arms alternate and the order of the readers rotates every round. Idle: N readers in one process on an empty 6-partition topic; after the warm-up, CPU = process utime+stime per second of wall time over the window, from process.cpuUsage() (µs resolution; the summary's figure) and /proc/<pid>/stat (10 ms ticks, kept per arm); requests = TCP writes to the broker (one per request for both clients) and, by API, the clients' own instrumentation (kafkajs REQUEST events, @platformatic/kafka's plt:kafka:connections:api diagnostics channel); a worker with no reader gives the floor, subtracted for the per-reader figures. Propagation: one reader tails a fresh topic; session rules produced by one kafkajs producer (acks=all) at a steady rate; latency from the send call (and from its ack) to the record reaching the reader's callback, shared wall clock. Cold start: a fresh process per run; clock from creating the client (modules loaded) until every partition reached the mark captured first; each record decoded and validated with the protocol's decodeEvent as the verifier does (decode), or only counted (count); CPU = process.cpuUsage() over the same span. Medians over rounds; ratios are each @platformatic/kafka reader ÷ kafkajs, of medians.";

/** Sizes of a run; `rounds` (`--rounds N`) sets the rounds of every phase. */
function plan(quick: boolean, rounds: number | undefined): B9Result['plan'] {
  const sized = sizes(quick);
  if (rounds === undefined) return sized;
  return {
    idle: { ...sized.idle, rounds },
    propagation: { ...sized.propagation, rounds },
    coldStart: { ...sized.coldStart, repetitions: rounds },
  };
}

function sizes(quick: boolean): B9Result['plan'] {
  return quick
    ? {
        idle: { rounds: 1, consumerCounts: [1, 10], warmupMs: 5_000, windowMs: 10_000 },
        propagation: { rounds: 1, events: 50, ratePerS: 20 },
        coldStart: { repetitions: 1, rules: 100_000 },
      }
    : {
        idle: { rounds: 3, consumerCounts: [1, 10], warmupMs: 20_000, windowMs: 20_000 },
        propagation: { rounds: 3, events: 200, ratePerS: 20 },
        coldStart: { repetitions: 3, rules: 1_000_000 },
      };
}

export async function runB9(ctx: BenchContext): Promise<B9Result> {
  const loadavgStart = loadavg();
  const chosen = plan(ctx.quick, ctx.rounds);
  const facts = await clientFacts();
  const topic = uniqueTopic('bench-cc-idle');
  await createRevocationTopic(ctx.brokers, topic);
  ctx.defer(() => deleteTopics(ctx.brokers, [topic]));
  const idle = await idlePhase(ctx, topic, chosen.idle, VERIFIER_FETCH_WAIT_MS);
  const tails = await propagationPhase(ctx, chosen.propagation, VERIFIER_FETCH_WAIT_MS);
  const coldStart = await coldStartPhase(ctx, chosen.coldStart, VERIFIER_FETCH_WAIT_MS);
  const { clients, ratios, propagation } = summarizeClients(idle, tails, coldStart);
  const busy = idle.map((arm) => arm.machineBusy);
  return {
    method: METHOD,
    brokers: ctx.brokers,
    fetchWaitMs: VERIFIER_FETCH_WAIT_MS,
    plan: chosen,
    idle,
    propagation,
    coldStart,
    clients,
    ratios,
    facts,
    machine: {
      cores: cpus().length,
      loadavgStart,
      loadavgEnd: loadavg(),
      idleWindowBusy: { min: Math.min(...busy), median: median(busy), max: Math.max(...busy) },
    },
  };
}
