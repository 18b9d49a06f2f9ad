/** The shape of `bench/results/<date>-<sha>[-quick][-B1-B4].json`. */
import type { B1Result } from './check-cost/run.js';
import type { B2Result } from './http/run.js';
import type { B3Result } from './propagation/run.js';
import type { B4Result } from './cold-start/run.js';
import type { B5Result } from './memory/run.js';
import type { B6Result } from './keycloak/run.js';
import type { B7Result } from './idle/run.js';
import type { B8Result } from './issuer/run.js';
import type { B9Result } from './client-choice/run.js';
import type { B10Result } from './fleet/run.js';
import type { B11Result } from './storm/run.js';
import type { B12Result } from './tracing/run.js';
import type { B13Result } from './receipts/run.js';
import type { GitInfo, MachineInfo } from './lib/machine.js';

/** A benchmark that could not complete: its error, never a silent gap. */
export interface BenchFailure {
  readonly error: string;
}

export type BenchId =
  'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'B6' | 'B7' | 'B8' | 'B9' | 'B10' | 'B11' | 'B12' | 'B13';
export const BENCH_IDS: readonly BenchId[] = [
  'B1',
  'B2',
  'B3',
  'B4',
  'B5',
  'B6',
  'B7',
  'B8',
  'B9',
  'B10',
  'B11',
  'B12',
  'B13',
];
/** Names `--only` accepts besides the ids. */
export const BENCH_ALIASES: Readonly<Record<string, BenchId>> = {
  KEYCLOAK: 'B6',
  IDLE: 'B7',
  ISSUER: 'B8',
  'CLIENT-CHOICE': 'B9',
  FLEET: 'B10',
  STORM: 'B11',
  TRACING: 'B12',
  RECEIPTS: 'B13',
};

/**
 * B9's figures under a stable name beside the dated run files (which are named
 * `<date>-<sha>…json`; the report reads only those).
 */
export const CLIENT_CHOICE_FILE = 'client-choice.json';

/** One target of the issue, with the figure measured for it. */
export interface TargetCheck {
  readonly target: string;
  /** The measured figure, in words (unit included). */
  readonly measured: string;
  /** `null`: not measured in this run (benchmark skipped or failed). */
  readonly met: boolean | null;
  /** What limits it, when missed, or how the figure was obtained. */
  readonly note: string;
}

export interface BenchResults {
  readonly schema: 1;
  readonly mode: 'quick' | 'full';
  readonly only: readonly BenchId[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly git: GitInfo;
  readonly machine: MachineInfo;
  readonly b1?: B1Result | BenchFailure;
  readonly b2?: B2Result | BenchFailure;
  readonly b3?: B3Result | BenchFailure;
  readonly b4?: B4Result | BenchFailure;
  readonly b5?: B5Result | BenchFailure;
  readonly b6?: B6Result | BenchFailure;
  readonly b7?: B7Result | BenchFailure;
  readonly b8?: B8Result | BenchFailure;
  readonly b9?: B9Result | BenchFailure;
  readonly b10?: B10Result | BenchFailure;
  readonly b11?: B11Result | BenchFailure;
  readonly b12?: B12Result | BenchFailure;
  readonly b13?: B13Result | BenchFailure;
  readonly targets: readonly TargetCheck[];
}

export function isFailure<T extends object>(
  value: T | BenchFailure | undefined,
): value is BenchFailure {
  return value !== undefined && 'error' in value;
}
