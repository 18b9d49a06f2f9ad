/**
 * Percentiles by sorting: exact, and cheap enough for the sample counts these benchmarks take
 * (at most a few million numbers). A histogram library would add a dependency and a bucket
 * error for no gain at this size.
 */

/** A latency or cost distribution; every figure in the unit the caller states. */
export interface Distribution {
  readonly n: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of an ascending array (`q` in 0..1). */
function rank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/**
 * Summarizes samples, scaled by `scale` (e.g. 1e-3 to turn ns into µs) and rounded to
 * `digits` decimals so the JSON stays readable.
 */
export function summarize(samples: ArrayLike<number>, scale = 1, digits = 3): Distribution {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const round = (value: number) => {
    const factor = 10 ** digits;
    return Math.round(value * scale * factor) / factor;
  };
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(rank(sorted, 0.5)),
    p95: round(rank(sorted, 0.95)),
    p99: round(rank(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(sorted.length === 0 ? Number.NaN : sum / sorted.length),
  };
}

/** Median of a few repeated measurements (cold starts, HTTP rounds). */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  return rank(sorted, 0.5);
}

/** `a / b` rounded to two decimals; NaN when either side is missing. */
export function ratio(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
    return Number.NaN;
  return Math.round((a / b) * 100) / 100;
}
