/** The B13 section of RESULTS.md. */
import { resultSection } from '../lib/result-section.js';
import { ratio } from '../lib/stats.js';
import type { BenchFailure } from '../results.js';
import type { B13Arm, B13Result, B13Window } from './run.js';

const f = (value: number | null | undefined, digits = 2): string =>
  value === undefined || value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const int = (value: number | null | undefined): string =>
  value === undefined || value === null || !Number.isFinite(value)
    ? '—'
    : Math.round(value).toLocaleString('en-US');

/** Requests per second over every API but the subsets of Fetch. */
const apis = (w: B13Window): string =>
  Object.entries(w.window.requestsPerS)
    .filter(([api]) => api !== 'FetchConsumer' && api !== 'FetchFollower')
    .sort(([, a], [, b]) => b - a)
    .map(([api, rate]) => `${api} ${f(rate, 1)}`)
    .join(', ');

function windowRows(off: B13Arm, on: B13Arm): string[] {
  const pairs: { label: string; off: B13Window; on: B13Window; events?: number }[] = [
    { label: 'idle', off: off.idle, on: on.idle },
    ...on.flowing.map((w, i) => ({
      label: `${w.offeredEventsPerS} events/s`,
      off: off.flowing[i] ?? off.idle,
      on: w,
      events: w.eventsPerS,
    })),
  ];
  return pairs.map(
    (p) =>
      `| ${p.label} | ${f(p.off.offsetCommitsPerSPerVerifier)} | **${f(p.on.offsetCommitsPerSPerVerifier)}** | ${p.events === undefined ? '—' : f(p.on.offsetCommitsPerSPerVerifier / p.events, 3)} | ${f(p.on.receiptsPerS, 1)} | ${f(p.off.window.brokerCores, 3)} | ${f(p.on.window.brokerCores, 3)} | **${f(ratio(p.on.window.brokerCores, p.off.window.brokerCores))}** | ${f(p.off.window.verifierCores, 3)} | ${f(p.on.window.verifierCores, 3)} | **${f(ratio(p.on.window.verifierCores, p.off.window.verifierCores))}** | ${f(p.off.window.totalRequestsPerS, 1)} | ${f(p.on.window.totalRequestsPerS, 1)} | ${p.off.loadAverage[0] ?? '—'} / ${p.on.loadAverage[0] ?? '—'} |`,
  );
}

/** Renders B13 (or says it was not run / failed). */
export function b13Section(result: B13Result | BenchFailure | undefined): string {
  const title = '## B13 — Receipts: what committing the applied position costs';
  return resultSection(title, result, (b13) => {
    const off = b13.arms.find((arm) => arm.receipts === 'off');
    const on = b13.arms.find((arm) => arm.receipts === 'on');
    if (off === undefined || on === undefined) return `${title}\n\nAn arm is missing.\n`;
    const latencyRows = on.latency.map(
      (l) =>
        `| ${l.way} | ${l.complete}/${l.events} (of ${l.ofMin}) | ${f(l.publishToReceiptMs.p50, 1)} | ${f(l.publishToReceiptMs.p95, 1)} | ${f(l.publishToReceiptMs.max, 1)} | ${f(l.publishToLastApplyMs.p50, 1)} | ${f(l.waitMs.p50, 1)} | ${f(l.callsPerEvent.rounds)} | ${f(l.callsPerEvent.offsetFetches, 1)} | ${f(l.callsPerEvent.groupsReadings)} | ${f(l.callsPerEvent.partitionRangeReads)} |`,
    );
    const x = b13.extrapolation;
    const cost = b13.fleetCost;
    return `${title}

Issue 22: each verifier commits the position it has applied as its own group's offsets (receipts,
\`kafkaRevocations({ receipts })\`, on by default, at most one commit per ${on.intervalMs ?? '—'} ms). The same
${b13.verifiers} verifiers with receipts off, then on, on a 1-node cluster of the benchmark's own; OffsetCommit
counted by the broker (JMX). Load average (1 min) off / on in the last column: the 2 cores were shared
with other test runs (${b13.loadAverage.start.join(', ')} at the start, ${b13.loadAverage.end.join(', ')} at the end), so CPU ratios are
rough; request counts are not.

| window | OffsetCommit/s per verifier, off | on | on, per verifier per event | receipts/s counted by the feeds, on | broker cores off | on | on ÷ off | verifier cores off | on | on ÷ off | broker req/s off | on | load off / on |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${windowRows(off, on).join('\n')}

Broker requests by API, receipts on: idle ${apis(on.idle)}; ${on.flowing.map((w) => `at ${w.offeredEventsPerS}/s ${apis(w)}`).join('; ')}.
Receipts off: idle ${apis(off.idle)}.

Receipt latency (receipts on): ${on.latency[0]?.events ?? 0} revocations one at a time on an idle topic, each ${b13.quietMs / 1000} s after the
previous receipt (so each is the first after a quiet spell and committed at once); the operator package
asks until all ${b13.verifiers} verifiers' receipts are past the event. Receipts per verifier per lone event: ${f(on.receiptsPerLoneEventPerVerifier)}.

| asked with | complete | publish → receipt p50 ms | p95 | max | publish → last apply p50 | wait p50 | rounds per event | OffsetFetch per event | ListGroups + DescribeGroups per event | partition reads per event |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${latencyRows.join('\n')}

${
  x === null
    ? ''
    : `At B10's fleet of ${x.fleet.toLocaleString('en-US')} verifiers: ${int(x.idleCommitsPerS)} OffsetCommit/s while idle; ${int(x.flowingCommitsPerS)}/s while
events flow at ${f(x.flowingEventsPerS, 0)}/s (the interval's ceiling: one per verifier per second, whatever the rate above 1/s);
${x.commitsPerLoneEvent === null ? '' : `${int(x.commitsPerLoneEvent)} per lone revocation (one per verifier); `}broker CPU for the flowing case ${f(x.flowingBrokerCoresAtFleetCost)} cores at
B10's cost per request (${cost === null ? '—' : `${f(cost.brokerCoreSecondsPerRequest * 1e6, 0)} µs, from ${cost.source}`}) or ${f(x.flowingBrokerCoresMeasured)} cores at the marginal cost measured
here (${f((x.measuredBrokerCoreSecondsPerCommit ?? Number.NaN) * 1e6, 0)} µs per commit, on − off, noisy), beside B10's ${f(x.fleetFlowingBrokerCores)} cores for that fleet
at 100 revocations/s without receipts. Verifier CPU per commit (on − off): ${f((x.measuredVerifierCoreSecondsPerCommit ?? Number.NaN) * 1e6, 0)} µs.
A commit on 3 nodes also replicates its \`__consumer_offsets\` record (RF 3), which a 1-node cluster does not show.
`
}`;
  });
}
