/** The B8 section of RESULTS.md and the issuer's target. */
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure, TargetCheck } from '../results.js';
import type { B8Result } from './run.js';

const f = (value: number | undefined, digits = 1): string =>
  value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

const TITLE = '## B8 — the issuer under a logout wave (user-service, 1,000 logouts/s offered)';

/** Renders B8 (or says it was not run / failed). */
export function b8Section(result: B8Result | BenchFailure | undefined): string {
  return resultSection(TITLE, result, (b8) => {
    const rows = b8.rows.map(
      (r) =>
        `| ${r.database} | ${r.rate} | ${f(r.achievedRate, 0)} | ${f(r.answerMs.p50)} | ${f(r.answerMs.p99)} | ${f(r.answerMs.max)} | ${f(r.propagationMs.p50)} | ${f(r.propagationMs.p99)} | ${r.failedLogouts} | ${r.missing} | ${f(r.userServiceCpuMsPerS, 0)} | ${f(r.cpuBusy * 100, 0)} % |`,
    );
    return `${TITLE}

| database | offered/s | achieved/s | answer p50 ms | answer p99 | answer max | propagation p50 ms | p99 | failed | missing | user-service CPU ms/s | machine busy |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Where the time goes: [issuer/README.md](src/issuer/README.md).
`;
  });
}

/** Issue 12, item 3: ≥ 1,000 logouts/s answered with p99 ≤ 50 ms, on each database. */
export function b8Targets(b8: B8Result | BenchFailure | undefined): TargetCheck[] {
  const target = 'the issuer sustains ≥ 1,000 logouts/s with answer p99 ≤ 50 ms';
  if (b8 === undefined || 'error' in b8) {
    return [
      {
        target,
        measured: 'not measured',
        met: null,
        note: b8 === undefined ? 'B8 not run' : `B8 failed: ${b8.error.split('\n')[0] ?? ''}`,
      },
    ];
  }
  return b8.rows.map((r) => {
    // Open-loop at 1,000/s: "sustained" allows for the ramp of the first and last requests.
    const sustained = r.achievedRate >= 0.95 * r.rate && r.failedLogouts === 0;
    return {
      target: `${target} (${r.database})`,
      measured: `${f(r.achievedRate, 0)}/s of ${r.rate}/s offered, answer p99 ${f(r.answerMs.p99)} ms (p50 ${f(r.answerMs.p50)}), ${r.failedLogouts} failed`,
      met: sustained && r.answerMs.p99 <= 50,
      note: `one verifier and the broker on the same ${r.durationSeconds} s run; user-service ${f(r.userServiceCpuMsPerS, 0)} ms/s CPU, machine ${f(r.cpuBusy * 100, 0)} % busy; propagation p99 ${f(r.propagationMs.p99)} ms from the answer.`,
    };
  });
}
