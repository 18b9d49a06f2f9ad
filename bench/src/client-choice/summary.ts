/** Client-choice: medians per client over the rounds, and @platformatic/kafka ÷ kafkajs ratios. */
import { READER_KINDS } from '../lib/broadcast-consumer.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { median, ratio, summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import type { ColdStartRun, ReplayMode } from './cold-start.js';
import type { IdleArm } from './idle.js';
import type { PropagationArm } from './propagation.js';

/** Idle figures of one client at one reader count, medians over the rounds. */
export interface IdleSummary {
  readonly consumers: number;
  /** The whole process, `process.cpuUsage()` (utime + stime, µs resolution), ms/s. */
  readonly cpuMsPerS: number;
  /** The same from /proc/<pid>/stat (10 ms ticks), ms/s. */
  readonly procCpuMsPerS: number;
  /** Above the same round's no-reader floor, per reader, ms/s. */
  readonly cpuMsPerSPerConsumer: number;
  /** TCP writes to the broker per second, per reader. */
  readonly requestsPerSPerConsumer: number;
  /** Requests per second per reader as the client counts them, by API. */
  readonly requestsPerSByApiPerConsumer: Readonly<Record<string, number>>;
  readonly rounds: number;
}

export interface ColdStartSummary {
  readonly mode: ReplayMode;
  readonly medianMs: number;
  readonly medianCpuMs: number;
  readonly runsMs: readonly number[];
}

export interface ClientSummary {
  readonly client: ReaderKind;
  readonly idle: readonly IdleSummary[];
  /** Every round's events pooled, from the send call, ms. */
  readonly propagationFromSendMs: Distribution;
  /** The same from the producer ack, ms. */
  readonly propagationFromAckMs: Distribution;
  readonly propagationRoundP99Ms: readonly number[];
  readonly coldStart: readonly ColdStartSummary[];
  /** Distinct warnings any of its processes logged or emitted. */
  readonly warnings: readonly string[];
}

/** One propagation arm without its samples. */
export interface PropagationArmSummary extends Omit<PropagationArm, 'fromSendMs' | 'fromAckMs'> {
  readonly fromSendMs: Distribution;
  readonly fromAckMs: Distribution;
}

/** @platformatic/kafka ÷ kafkajs of the medians (below 1: @platformatic/kafka better). */
export interface Ratios {
  readonly idleCpuPerConsumer: Readonly<Record<string, number>>;
  readonly idleRequestsPerConsumer: Readonly<Record<string, number>>;
  readonly propagationP50: number;
  readonly propagationP99: number;
  readonly coldStartMs: Readonly<Record<ReplayMode, number>>;
  readonly coldStartCpuMs: Readonly<Record<ReplayMode, number>>;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

function idleSummaries(client: ReaderKind, arms: readonly IdleArm[]): IdleSummary[] {
  const floor = new Map(arms.filter((a) => a.client === 'none').map((a) => [a.round, a]));
  const counts = [...new Set(arms.filter((a) => a.client === client).map((a) => a.consumers))];
  return counts.map((consumers) => {
    const mine = arms.filter((a) => a.client === client && a.consumers === consumers);
    const apis = new Set(mine.flatMap((a) => Object.keys(a.requestsPerSByApi)));
    return {
      consumers,
      cpuMsPerS: round3(median(mine.map((a) => a.cpuUsageMsPerS))),
      procCpuMsPerS: round3(median(mine.map((a) => a.cpuMsPerS))),
      cpuMsPerSPerConsumer: round3(
        median(
          mine.map(
            (a) => (a.cpuUsageMsPerS - (floor.get(a.round)?.cpuUsageMsPerS ?? 0)) / consumers,
          ),
        ),
      ),
      requestsPerSPerConsumer: round3(median(mine.map((a) => a.socketRequestsPerS / consumers))),
      requestsPerSByApiPerConsumer: Object.fromEntries(
        [...apis].map((api) => [
          api,
          round3(median(mine.map((a) => (a.requestsPerSByApi[api] ?? 0) / consumers))),
        ]),
      ),
      rounds: mine.length,
    };
  });
}

/** `reader` ÷ `base` of every median. */
function ratiosOf(reader: ClientSummary, base: ClientSummary): Ratios {
  const idleRatio = (pick: (s: IdleSummary) => number) =>
    Object.fromEntries(
      reader.idle.map((s) => {
        const b = base.idle.find((other) => other.consumers === s.consumers);
        return [String(s.consumers), b === undefined ? NaN : ratio(pick(s), pick(b))];
      }),
    );
  const cold = (mode: ReplayMode, pick: (s: ColdStartSummary) => number) => {
    const a = reader.coldStart.find((c) => c.mode === mode);
    const b = base.coldStart.find((c) => c.mode === mode);
    return a === undefined || b === undefined ? NaN : ratio(pick(a), pick(b));
  };
  return {
    idleCpuPerConsumer: idleRatio((s) => s.cpuMsPerSPerConsumer),
    idleRequestsPerConsumer: idleRatio((s) => s.requestsPerSPerConsumer),
    propagationP50: ratio(reader.propagationFromSendMs.p50, base.propagationFromSendMs.p50),
    propagationP99: ratio(reader.propagationFromSendMs.p99, base.propagationFromSendMs.p99),
    coldStartMs: {
      decode: cold('decode', (c) => c.medianMs),
      count: cold('count', (c) => c.medianMs),
    },
    coldStartCpuMs: {
      decode: cold('decode', (c) => c.medianCpuMs),
      count: cold('count', (c) => c.medianCpuMs),
    },
  };
}

export function summarizeClients(
  idle: readonly IdleArm[],
  tails: readonly PropagationArm[],
  coldStart: readonly ColdStartRun[],
): {
  clients: ClientSummary[];
  ratios: Partial<Record<ReaderKind, Ratios>>;
  propagation: PropagationArmSummary[];
} {
  const clients = READER_KINDS.map((client): ClientSummary => {
    const myTails = tails.filter((t) => t.client === client);
    const myRuns = coldStart.filter((r) => r.client === client);
    return {
      client,
      idle: idleSummaries(client, idle),
      propagationFromSendMs: summarize(
        myTails.flatMap((t) => t.fromSendMs),
        1,
        2,
      ),
      propagationFromAckMs: summarize(
        myTails.flatMap((t) => t.fromAckMs),
        1,
        2,
      ),
      propagationRoundP99Ms: myTails.map((t) => summarize(t.fromSendMs, 1, 2).p99),
      coldStart: (['decode', 'count'] as const).map((mode) => {
        const runs = myRuns.filter((r) => r.mode === mode);
        return {
          mode,
          medianMs: median(runs.map((r) => r.ms)),
          medianCpuMs: median(runs.map((r) => r.cpuMs)),
          runsMs: runs.map((r) => r.ms),
        };
      }),
      warnings: [
        ...new Set([
          ...idle.filter((a) => a.client === client).flatMap((a) => a.warnings),
          ...myRuns.flatMap((r) => r.warnings),
        ]),
      ],
    };
  });
  const kafkajs = clients.find((c) => c.client === 'kafkajs');
  if (kafkajs === undefined) throw new Error('no kafkajs figures');
  const ratios: Partial<Record<ReaderKind, Ratios>> = {};
  for (const other of clients) {
    if (other.client !== 'kafkajs') ratios[other.client] = ratiosOf(other, kafkajs);
  }
  const propagation = tails.map(({ fromSendMs, fromAckMs, ...rest }) => ({
    ...rest,
    fromSendMs: summarize(fromSendMs, 1, 2),
    fromAckMs: summarize(fromAckMs, 1, 2),
  }));
  return { clients, ratios, propagation };
}
