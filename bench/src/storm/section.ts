/** The B11 section of RESULTS.md and its chart (storm.svg). */
import { renderLineChart } from '../lib/line-chart.js';
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure } from '../results.js';
import type { B11Result } from './run.js';

const f = (value: number | undefined, digits = 2): string =>
  value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

/** Renders B11 (or says it was not run / failed). */
export function b11Section(result: B11Result | BenchFailure | undefined): string {
  const title = '## B11 — Deploy storm: N verifiers cold-starting at once';
  return resultSection(title, result, (b11) => {
    const rows = b11.storms.map(
      (s) =>
        `| ${s.arm} | ${s.rules.toLocaleString('en-US')} | ${s.verifiers} | **${f(s.lastReadyMs / 1000)}** | ${s.readyMs.map((ms) => f(ms / 1000, 1)).join(', ')} | ${s.rulesHeld.min.toLocaleString('en-US')}–${s.rulesHeld.max.toLocaleString('en-US')} | ${f(s.brokerCores)} | ${f(s.cpuBusy * 100, 0)} % |`,
    );
    const arms = b11.arms.map(
      (a) =>
        `- ${a.arm}, ${a.rules.toLocaleString('en-US')} rules: ${a.ran ? 'ran' : '**not run**'} — ${a.note}`,
    );
    const target = b11.storms.find(
      (s) => s.arm === 'snapshot' && s.rules === 100_000 && s.verifiers === 20,
    );
    return `${title}

![time until the last verifier is ready against N](storm.svg)

N verifier processes (${b11.sizes.join(', ')}) start at one signal against a topic of
${b11.ruleCounts.map((n) => n.toLocaleString('en-US')).join(' and ')} live rules, on a 1-node cluster of the benchmark's own.
Target (issue 21): 20 verifiers at 100,000 rules all ready within 3 s on this 2-core box${target === undefined ? ' (snapshot arm at 20 verifiers not in this run)' : `: ${f(target.lastReadyMs / 1000)} s with the snapshot`}.

${arms.join('\n')}

| arm | rules | N | last ready (s) | each (s) | rules held | broker cores | machine busy |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  });
}

/** Signal → last ready against N, one line per arm and rule count. */
export function renderStormChart(
  result: B11Result | BenchFailure | undefined,
  run: string,
): string {
  const b11 = result === undefined || 'error' in result ? undefined : result;
  const colors = ['#1f618d', '#7fb3d5', '#ca6f1e', '#f0b27a'];
  const lines = (b11?.arms ?? [])
    .filter((a) => a.ran)
    .map((a, i) => ({
      name: `${a.arm}, ${a.rules.toLocaleString('en-US')} rules`,
      color: colors[i % colors.length] ?? '#999',
      points: (b11?.storms ?? [])
        .filter((s) => s.arm === a.arm && s.rules === a.rules)
        .map((s): [number, number] => [s.verifiers, s.lastReadyMs / 1000]),
    }));
  return renderLineChart({
    title: 'Deploy storm: signal → last verifier ready (s)',
    subtitle: `${run}; one process per verifier; target ≤ 3 s for 20 verifiers at 100,000 rules`,
    xLabel: 'verifiers starting at once',
    yLabel: 'seconds until the last is ready',
    rules: [{ y: 3, label: 'target: 3 s (20 × 100k)' }],
    series: lines,
  });
}
