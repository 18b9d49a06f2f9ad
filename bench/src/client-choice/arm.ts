/**
 * One arm of the client-choice benchmark: a worker process of one client, and readings of its
 * CPU (from /proc and its own `cpuUsage()`) and of the requests it sent.
 */
import { WorkerProcess } from '../lib/child.js';
import { READER_KINDS } from '../lib/broadcast-consumer.js';
import type { ReaderKind } from '../lib/broadcast-consumer.js';
import { readWorker } from '../idle/proc-cpu.js';
import type { WorkerReading } from '../idle/proc-cpu.js';
import type { ClientChoiceReply, ClientChoiceRequest, RequestCounts } from './worker.js';

export type ClientChoiceWorker = WorkerProcess<ClientChoiceRequest, ClientChoiceReply>;

/** The readers in the order of a round: rotated by one every round. */
export function roundOrder(round: number): readonly ReaderKind[] {
  const shift = round % READER_KINDS.length;
  return [...READER_KINDS.slice(shift), ...READER_KINDS.slice(0, shift)];
}

/** Starts a worker; `stop()` it when done. */
export function startWorker(name: string): ClientChoiceWorker {
  return WorkerProcess.start<ClientChoiceRequest, ClientChoiceReply>(
    'client-choice/worker',
    `cc-${name}`,
  );
}

/** A worker's counters at one moment. */
export type Reading = WorkerReading<ClientChoiceReply>;

export function read(worker: ClientChoiceWorker): Promise<Reading> {
  return readWorker(worker);
}

/** Per second of wall time between two readings. */
export interface Rates {
  /** /proc utime+stime, ms/s. */
  readonly cpuMsPerS: number;
  /** `process.cpuUsage()`, ms/s. */
  readonly cpuUsageMsPerS: number;
  /** TCP writes to the brokers per second (one per request). */
  readonly socketRequestsPerS: number;
  /** Requests per second as the client's own instrumentation counts them, by API. */
  readonly requestsPerSByApi: RequestCounts;
  /** Their sum. */
  readonly clientRequestsPerS: number;
}

export function rates(a: Reading, b: Reading): Rates {
  const s = (b.at - a.at) / 1000;
  const byApi: Record<string, number> = {};
  for (const [api, count] of Object.entries(b.sample.requests)) {
    const perS = (count - (a.sample.requests[api] ?? 0)) / s;
    if (perS > 0) byApi[api] = Math.round(perS * 1000) / 1000;
  }
  return {
    cpuMsPerS: (b.procMs - a.procMs) / s,
    cpuUsageMsPerS: (b.sample.cpuMs - a.sample.cpuMs) / s,
    socketRequestsPerS: (b.sample.socketRequests - a.sample.socketRequests) / s,
    requestsPerSByApi: byApi,
    clientRequestsPerS: Object.values(byApi).reduce((x, y) => x + y, 0),
  };
}
