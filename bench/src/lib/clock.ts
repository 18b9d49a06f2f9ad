/**
 * The clock propagation is measured with, in every process of a run: ms since the epoch with
 * sub-millisecond resolution. `performance.timeOrigin` anchors each process's monotonic clock to
 * the system clock (to the microsecond) when the process starts; all processes run on one host,
 * so their readings are comparable. `Date.now()` would do too, but its 1 ms steps would be a
 * large part of a few-millisecond latency.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
