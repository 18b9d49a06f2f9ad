/** What the runner hands every benchmark. */
import type { RuleTopic } from './lib/kafka.js';

export interface BenchContext {
  /** `--quick`: smaller sizes and shorter runs (a few minutes in all). */
  readonly quick: boolean;
  /** Rounds of the benchmarks that count rounds (B6, B9), from `--rounds N`; each has a default. */
  readonly rounds?: number;
  /** The broker every single-node figure uses. */
  readonly brokers: readonly string[];
  readonly kafkaVersion: string;
  readonly redisUrl: string;
  /** Progress line on stderr. */
  log(line: string): void;
  /**
   * A topic holding `count` live rules, produced once per run (B1, B2 and B4 share them) and
   * deleted at the end of the run.
   */
  ruleTopic(count: number): Promise<RuleTopic>;
  /** Registers a cleanup for the end of the run (run last-registered first, failures ignored). */
  defer(cleanup: () => Promise<void>): void;
}

/** Rule counts of B1 (0 included) and B4/B5. */
export function ruleSizes(quick: boolean): readonly number[] {
  return quick ? [20_000, 100_000] : [100_000, 1_000_000];
}

/**
 * Sizes from a comma-separated environment variable (`BENCH_FLEET_SIZES=1,10,400`), or undefined
 * when it is not set: a benchmark's default sizes suit this 2-core box, a larger one can go on.
 */
export function sizesFromEnvironment(name: string, max: number): readonly number[] | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return undefined;
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > max)) {
    throw new TypeError(`${name} takes integers from 1 to ${max}, comma-separated, got ${value}`);
  }
  return sizes;
}
