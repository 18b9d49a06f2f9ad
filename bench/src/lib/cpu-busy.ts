/**
 * How busy the whole machine was over a window: printed beside latency figures, so a miss
 * caused by a saturated box shows as such.
 */
import { cpus } from 'node:os';

/** Idle and total CPU time of every core so far, ms. */
export interface CpuTimes {
  readonly idle: number;
  readonly total: number;
}

/** Idle and total CPU time of every core so far, ms. */
export function cpuTimes(): CpuTimes {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Share of all cores' time not idle between two readings, 0..1 (3 decimals); NaN if none passed. */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? Math.round((1 - (after.idle - before.idle) / total) * 1000) / 1000 : NaN;
}
