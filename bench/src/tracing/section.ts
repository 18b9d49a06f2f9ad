/** The B12 section of RESULTS.md. */
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure } from '../results.js';
import type { B12Result } from './run.js';

const us = (ns: number): string => (ns / 1000).toFixed(2);
const x = (ratio: number): string => ratio.toFixed(2);

/** Renders B12 (or says it was not run / failed). */
export function b12Section(result: B12Result | BenchFailure | undefined): string {
  const title = '## B12 — Tracing: what OpenTelemetry costs a verifier';
  return resultSection(
    title,
    result,
    (b12) => `${title}

Issue 22: the hot path costs nothing measurable when tracing is off. Off is the default (no SDK
registered: \`@opentelemetry/api\` is a no-op); on is an SDK with an in-memory exporter.

| path | off (µs) | on (µs) | on ÷ off (round by round) |
| --- | --- | --- | --- |
| \`verify()\`, cached token, per request | ${us(b12.verifyOffNs)} | ${us(b12.verifyOnNs)} | **${x(b12.ratios.verifyOnOverOff)}** |
| apply of an event with a \`traceparent\`, per event | ${us(b12.applyTracedOffNs)} | ${us(b12.applyTracedOnNs)} | **${x(b12.ratios.applyTracedOnOverOff)}** |
| apply of an event without one, per event | ${us(b12.applyUntracedOffNs)} | ${us(b12.applyUntracedOnNs)} | ${x(b12.ratios.applyUntracedOnOverTracedOff)} (÷ traced, off) |

With tracing off, an event that carries a \`traceparent\` costs ${x(b12.ratios.applyTracedOffOverUntracedOff)}× one that does not
(the header is carried, never parsed).

Spans exported per traced event with tracing on: ${b12.spansPerTracedEvent} (the \`process\` span).
`,
  );
}
