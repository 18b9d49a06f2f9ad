/** The cold-start and idle-cost charts of RESULTS.md, from a (composed) result file. */
import { renderBarChart } from './lib/bar-chart.js';
import type { BenchResults } from './results.js';
import { isFailure } from './results.js';

const run = (results: BenchResults) => `${results.mode} run ${results.startedAt.slice(0, 10)}`;

/** Cold start against rule count: verifier, floor and bare consumer, seconds (B4). */
export function renderColdStartChart(results: BenchResults): string {
  const b4 = results.b4;
  const cases = b4 === undefined || isFailure(b4) ? [] : b4.cases;
  return renderBarChart({
    title: 'Cold start: time until ready against live rules (s, medians)',
    subtitle: `${run(results)}; floor = bare consumer that JSON.parses and keeps every record; target ≤ 1.2× bare`,
    unit: 's',
    series: [
      { name: 'verifier ready()', color: '#1f618d' },
      { name: 'from a snapshot', color: '#27ae60' },
      { name: 'floor (parse + keep)', color: '#7fb3d5' },
      { name: 'bare consumer', color: '#bbbbbb' },
    ],
    groups: cases.map((c) => ({
      label: `${c.rules.toLocaleString('en-US')} rules`,
      values: [
        c.verifierMedianMs / 1000,
        c.snapshotMedianMs === undefined ? Number.NaN : c.snapshotMedianMs / 1000,
        c.floorMedianMs === undefined ? Number.NaN : c.floorMedianMs / 1000,
        c.bareMedianMs / 1000,
      ],
    })),
  });
}

/** Idle cost per process: CPU ms/s and broker requests/s (B7). */
export function renderIdleChart(results: BenchResults): string {
  const b7 = results.b7;
  const rows = b7 === undefined || isFailure(b7) ? [] : b7.rows;
  const mean = (kind: string, pick: (r: (typeof rows)[number]) => number) => {
    const of = rows.filter((r) => r.kind === kind);
    return of.length === 0 ? Number.NaN : of.reduce((a, r) => a + pick(r), 0) / of.length;
  };
  return renderBarChart({
    title: 'Idle cost per process (mean of the idle verifiers)',
    subtitle: `${run(results)}; /proc after warm-up; targets: ≤ 5 ms CPU/s and ≤ 2 broker requests/s per verifier`,
    unit: '',
    series: [
      { name: 'verifier (idle)', color: '#1f618d' },
      { name: 'bare kafkajs consumer', color: '#7fb3d5' },
      { name: 'bare node process', color: '#bbbbbb' },
    ],
    groups: [
      {
        label: 'CPU ms per second',
        values: ['verifier', 'kafkajs', 'node'].map((k) => mean(k, (r) => r.cpuMsPerS)),
      },
      {
        label: 'broker requests per second',
        values: ['verifier', 'kafkajs', 'node'].map((k) => mean(k, (r) => r.requestsPerS)),
      },
    ],
  });
}
