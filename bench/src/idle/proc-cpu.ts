/** CPU time of a process as the kernel accounts it: `/proc/<pid>/stat`, utime + stime. */
import { readFileSync } from 'node:fs';
import type { Message, WorkerProcess } from '../lib/child.js';

/** Clock ticks per second of `/proc`'s CPU times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;

/** utime + stime of `pid`, ms (10 ms resolution). */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_S;
}

/** A worker's counters at one moment: when, its CPU by /proc, and the sample it answered. */
export interface WorkerReading<Out extends Message> {
  readonly at: number;
  /** /proc utime+stime, ms (10 ms ticks). */
  readonly procMs: number;
  readonly sample: Extract<Out, { type: 'sample' }>;
}

/** Asks a worker for its `sample` (its own CPU and request counts) and reads /proc beside it. */
export async function readWorker<In extends Message, Out extends Message>(
  worker: WorkerProcess<In | { readonly type: 'sample' }, Out>,
): Promise<WorkerReading<Out>> {
  worker.send({ type: 'sample' });
  const sample = await worker.next('sample', 10_000);
  return { at: performance.now(), procMs: procCpuMs(worker.pid ?? 0), sample };
}
