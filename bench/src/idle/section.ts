/** The B7 section of RESULTS.md. */
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure } from '../results.js';
import type { B7Result } from './run.js';

const f = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

const KIND_LABELS = {
  verifier: 'verifier (idle)',
  installed: 'verifier installed from the tarballs with npm (idle)',
  kafkajs: 'bare kafkajs consumer, defaults',
  node: 'bare node process',
} as const;

/** Renders B7 (or says it was not run / failed). */
export function b7Section(result: B7Result | BenchFailure | undefined): string {
  const title = '## B7 — Idle cost per process (CPU ms/s, broker requests/s)';
  return resultSection(title, result, (b7) => {
    const rows = b7.rows.map(
      (r) =>
        `| ${KIND_LABELS[r.kind]} (${r.name}) | ${f(r.cpuMsPerS)} | ${f(r.cpuUsageMsPerS)} | ${f(r.requestsPerS)} | ${f(r.kafkajsRequestsPerS)} |`,
    );
    const p = b7.propagationMs;
    return `${title}

![idle cost per process](idle.svg)

${b7.verifiers} idle verifier processes${b7.installed ? ', the same verifier installed with npm from the packed tarballs outside the workspace (as an adopter runs it)' : ''}, a bare kafkajs consumer and a bare node process on one
6-partition topic (${b7.brokers.join(',')}); after a ${b7.warmupMs / 1000} s warm-up, a
${b7.windowMs / 1000} s window. Machine during the window: ${f(b7.machine.cpuBusy * 100, 0)} % of
${b7.machine.cores} cores busy (all processes), 1-min load ${f(b7.machine.loadavg1)}.

| process | CPU ms/s (/proc) | CPU ms/s (cpuUsage) | requests/s (socket writes) | requests/s (kafkajs events) |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

Propagation to the idle verifiers, producer ack (acks=all) → applied, ${p.n} samples: p50
${f(p.p50)} ms, p99 ${f(p.p99)} ms, max ${f(p.max)} ms. A burst of ${b7.burst.events.toLocaleString('en-US')}
events costs ${f(b7.burst.cpuMsPer1000, 1)} ms of CPU per verifier per 1,000 applied events
(idle rate subtracted; applied in ${f(b7.burst.wallMs / 1000, 2)} s). Findings: [idle/README.md](src/idle/README.md).
`;
  });
}
