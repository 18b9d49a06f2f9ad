/**
 * Timing of in-process operations. Every operation is timed on its own with
 * `process.hrtime.bigint()` (so medians and p99s are per operation, GC pauses included), minus
 * the timer's own cost measured at start. Operations too short for that (the synchronous
 * `check()`, ~0.1 µs) are timed in batches and reported as a batch mean.
 */

/** Median cost of one `hrtime.bigint()` pair, in ns: subtracted from every sample. */
export function timerOverheadNs(): number {
  const samples = new Float64Array(100_000);
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  return samples[samples.length >> 1] ?? 0;
}

/**
 * Times `ops` awaited calls one by one; returns ns per call. `prepare(i)` runs outside the timed
 * window and hands the call its argument (e.g. a fresh copy of a token string).
 */
export async function timeEachAsync<A>(
  ops: number,
  overheadNs: number,
  prepare: (i: number) => A,
  operation: (argument: A) => Promise<unknown>,
): Promise<Float64Array> {
  const samples = new Float64Array(ops);
  for (let i = 0; i < ops; i++) {
    const argument = prepare(i);
    const t0 = process.hrtime.bigint();
    await operation(argument);
    samples[i] = Math.max(0, Number(process.hrtime.bigint() - t0) - overheadNs);
  }
  return samples;
}

/**
 * Like {@link timeEachAsync} for two variants of one operation, alternating call by call, so a
 * change in background load affects both equally; returns ns per call of each.
 */
export async function timeAlternatingAsync<A>(
  opsEach: number,
  overheadNs: number,
  prepare: readonly [(i: number) => A, (i: number) => A],
  operation: (argument: A) => Promise<unknown>,
): Promise<[Float64Array, Float64Array]> {
  const samples: [Float64Array, Float64Array] = [
    new Float64Array(opsEach),
    new Float64Array(opsEach),
  ];
  for (let i = 0; i < opsEach * 2; i++) {
    const variant = i & 1;
    const argument = prepare[variant]?.(i >> 1) as A;
    const t0 = process.hrtime.bigint();
    await operation(argument);
    const elapsed = Math.max(0, Number(process.hrtime.bigint() - t0) - overheadNs);
    (samples[variant] as Float64Array)[i >> 1] = elapsed;
  }
  return samples;
}

/** Times `batches` batches of `batchSize` awaited calls; returns the mean ns per call of each. */
export async function timeBatchesAsync(
  batches: number,
  batchSize: number,
  operation: (i: number) => Promise<unknown>,
): Promise<Float64Array> {
  const means = new Float64Array(batches);
  for (let b = 0, i = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < batchSize; k++, i++) await operation(i);
    means[b] = Number(process.hrtime.bigint() - t0) / batchSize;
  }
  return means;
}

/** The same for a synchronous operation. */
export function timeBatchesSync(
  batches: number,
  batchSize: number,
  operation: (i: number) => void,
): Float64Array {
  const means = new Float64Array(batches);
  for (let b = 0, i = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < batchSize; k++, i++) operation(i);
    means[b] = Number(process.hrtime.bigint() - t0) / batchSize;
  }
  return means;
}
