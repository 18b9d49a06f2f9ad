/** The B13 section of RESULTS.md. */
import { resultSection } from '../lib/result-section.js';
import { ratio } from '../lib/stats.js';
import type { BenchFailure } from '../results.js';
import { extrapolate } from './extrapolation.js';
import type { ReceiptsExtrapolation } from './extrapolation.js';
import type { FleetCostPerRequest } from './fleet-cost.js';
import type { B13Arm, B13Result, B13Window } from './run.js';

const f = (value: number | null | undefined, digits = 2): string =>
  value === undefined || value === null || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const int = (value: number | null | undefined): string =>
  value === undefined || value === null || !Number.isFinite(value)
    ? '—'
    : Math.round(value).toLocaleString('en-US');
const us = (coreSeconds: number | null): string => f((coreSeconds ?? Number.NaN) * 1e6, 0);

/** Requests per second over every API but the subsets of Fetch. */
const apis = (w: B13Window | null): string =>
  w === null
    ? '—'
    : Object.entries(w.window.requestsPerS)
        .filter(([api]) => api !== 'FetchConsumer' && api !== 'FetchFollower')
        .sort(([, a], [, b]) => b - a)
        .map(([api, rate]) => `${api} ${f(rate, 1)}`)
        .join(', ');

function windowRows(off: B13Arm, on: B13Arm): string[] {
  const pairs: { label: string; off: B13Window | null; on: B13Window | null; events?: number }[] = [
    { label: 'idle', off: off.idle, on: on.idle },
    ...on.flowing.map((w) => ({
      label: `${w.offeredEventsPerS} events/s`,
      off: off.flowing.find((o) => o.offeredEventsPerS === w.offeredEventsPerS) ?? null,
      on: w,
      events: w.eventsPerS,
    })),
  ];
  return pairs.map(({ label, off: a, on: b, events }) => {
    const cores = (w: B13Window | null, pick: 'brokerCores' | 'verifierCores') =>
      w === null ? Number.NaN : w.window[pick];
    const fetch = (w: B13Window | null) => w?.window.requestsPerS['Fetch'] ?? Number.NaN;
    // Every request but Fetch (whose count follows how fast verifiers drain, not receipts).
    const other = (w: B13Window | null) =>
      w === null ? Number.NaN : w.window.totalRequestsPerS - fetch(w);
    return `| ${label} | ${f(a?.offsetCommitsPerSPerVerifier)} | **${f(b?.offsetCommitsPerSPerVerifier)}** | ${events === undefined ? '—' : f((b?.offsetCommitsPerSPerVerifier ?? Number.NaN) / events, 3)} | ${f(b?.receiptsPerS, 1)} | ${f(fetch(a), 0)} | ${f(fetch(b), 0)} | ${f(other(a), 1)} | ${f(other(b), 1)} | **${f(ratio(other(b), other(a)))}** | ${f(cores(a, 'brokerCores'), 3)} | ${f(cores(b, 'brokerCores'), 3)} | ${f(ratio(cores(b, 'brokerCores'), cores(a, 'brokerCores')))} | ${f(cores(a, 'verifierCores'), 3)} | ${f(cores(b, 'verifierCores'), 3)} | ${f(ratio(cores(b, 'verifierCores'), cores(a, 'verifierCores')))} | ${a?.loadAverage[0] ?? '—'} / ${b?.loadAverage[0] ?? '—'} |`;
  });
}

function costParagraph(
  off: B13Arm,
  on: B13Arm,
  costArm: B13Arm | undefined,
  x: ReceiptsExtrapolation,
  cost: FleetCostPerRequest | null,
  verifiers: number,
): string {
  const wait = on.latency.find((l) => l.way === 'waitForApplied');
  const c = costArm?.flowing[0];
  const o = off.flowing.find((w) => w.offeredEventsPerS === c?.offeredEventsPerS);
  const d = on.flowing.find((w) => w.offeredEventsPerS === c?.offeredEventsPerS);
  const fetch = (w: B13Window | undefined) => f(w?.window.requestsPerS['Fetch'], 0);
  const resolved = (x.measuredBrokerCoreSecondsPerCommit ?? 0) > 0;
  const costLine =
    c === undefined || o === undefined
      ? ''
      : `The cost of one commit: receipts every ${costArm?.intervalMs ?? '—'} ms at ${c.offeredEventsPerS} events/s gave ${f(c.offsetCommitsPerS, 0)} OffsetCommit/s
(${f(c.offsetCommitsPerSPerVerifier, 1)} per verifier); broker ${f(c.window.brokerCores, 3)} cores against ${f(o.window.brokerCores, 3)} with receipts off (load ${c.loadAverage[0] ?? '—'} / ${o.loadAverage[0] ?? '—'}),
verifiers ${f(c.window.verifierCores, 3)} against ${f(o.window.verifierCores, 3)}: ${resolved ? `**${us(x.measuredBrokerCoreSecondsPerCommit)} µs of broker CPU per commit**` : `no broker cost resolved (on − off ${f(c.window.brokerCores - o.window.brokerCores, 3)} cores)`}, ${us(x.measuredVerifierCoreSecondsPerCommit)} µs of verifier CPU${cost === null ? '' : ` (B10's cost per request, nearly all Fetch: ${us(cost.brokerCoreSecondsPerRequest)} µs)`}.
Fetch requests differ between windows more than commits cost: ${fetch(c)}/s in that window, ${fetch(o)}/s with receipts off, ${fetch(d)}/s
at the default interval (whose broker took ${f(d?.window.brokerCores, 3)} cores with ${f(d?.offsetCommitsPerS, 0)} commits/s). With the Fetch difference priced at
B10's cost per request and taken out, a commit costs ${us(x.measuredBrokerCoreSecondsPerCommitFetchAdjusted)} µs: read the cost of a commit as
${us(Math.min(x.measuredBrokerCoreSecondsPerCommit ?? Number.NaN, x.measuredBrokerCoreSecondsPerCommitFetchAdjusted ?? Number.NaN))}–${us(Math.max(x.measuredBrokerCoreSecondsPerCommit ?? Number.NaN, x.measuredBrokerCoreSecondsPerCommitFetchAdjusted ?? Number.NaN))} µs, the order of a Fetch, not a figure to three digits.`;
  return `${costLine}

At B10's fleet of ${x.fleet.toLocaleString('en-US')} verifiers: **${int(x.idleCommitsPerS)} OffsetCommit/s while idle**; ${int(x.flowingCommitsPerS)}/s while
events flow at ${f(x.flowingEventsPerS, 0)}/s (the interval's ceiling: about one per verifier per second whatever the rate above
1/s); ${x.commitsPerLoneEvent === null ? '' : `${int(x.commitsPerLoneEvent)} for a lone revocation (one per verifier${resolved ? `: ${f(x.loneEventBrokerCoreSecondsMeasured, 1)}–${f((x.measuredBrokerCoreSecondsPerCommitFetchAdjusted ?? Number.NaN) * (x.commitsPerLoneEvent ?? Number.NaN), 1)} broker core-seconds in a burst` : ''}); `}broker CPU for the flowing case
${resolved ? `**${f(x.flowingBrokerCoresMeasured)}–${f((x.measuredBrokerCoreSecondsPerCommitFetchAdjusted ?? Number.NaN) * x.flowingCommitsPerS)} cores** at the cost measured here, ` : ''}${f(x.flowingBrokerCoresAtFleetCost)} cores at B10's cost per request${cost === null ? '' : ` (${cost.source})`}, beside
B10's ${f(x.fleetFlowingBrokerCores)} cores for that fleet on ${cost?.nodes ?? 3} nodes at 100 revocations/s without receipts. On 3 nodes each commit is
also replicated (\`__consumer_offsets\` has RF 3) and spread over the nodes' group coordinators; a 1-node cluster shows neither.
Asking is not free either: one \`waitForApplied\` read ${f(wait === undefined ? Number.NaN : wait.callsPerEvent.offsetFetches / verifiers, 2)} OffsetFetch per verifier here (one per
group per round), so ~${int(wait === undefined ? Number.NaN : (wait.callsPerEvent.offsetFetches / verifiers) * x.fleet)} OffsetFetch per receipt at ${x.fleet.toLocaleString('en-US')} verifiers, plus
ListGroups and DescribeGroups of every group — about as many requests as the receipts themselves.
`;
}

/** Renders B13 (or says it was not run / failed). */
export function b13Section(result: B13Result | BenchFailure | undefined): string {
  const title = '## B13 — Receipts: what committing the applied position costs';
  return resultSection(title, result, (b13) => {
    const off = b13.arms.find((arm) => arm.receipts === 'off');
    const on = b13.arms.find((arm) => arm.receipts === 'on' && arm.idle !== null);
    const costArm = b13.arms.find((arm) => arm.receipts === 'on' && arm.idle === null);
    if (off === undefined || on === undefined) return `${title}\n\nAn arm is missing.\n`;
    const latencyRows = on.latency.map(
      (l) =>
        `| ${l.way} | ${l.complete}/${l.events} (of ${l.ofMin}) | ${f(l.publishToReceiptMs.p50, 1)} | ${f(l.publishToReceiptMs.p95, 1)} | ${f(l.publishToReceiptMs.max, 1)} | ${f(l.publishToLastApplyMs.p50, 1)} | ${f(l.publishToLastApplyMs.p95, 1)} | ${f(l.waitMs.p50, 1)} | ${f(l.callsPerEvent.rounds)} | ${f(l.callsPerEvent.offsetFetches, 1)} | ${f(l.callsPerEvent.groupsReadings)} | ${f(l.callsPerEvent.partitionRangeReads)} |`,
    );
    // Derived from the arms, so a result file renders with the current reading of its figures.
    const x = extrapolate(b13.arms, b13.fleetCost);
    return `${title}

Issue 22: each verifier commits the position it has applied as its own group's offsets (receipts,
\`kafkaRevocations({ receipts })\`, on by default, at most one commit per ${on.intervalMs ?? '—'} ms). The same
${b13.verifiers} verifiers with receipts off, then on, on a 1-node cluster of the benchmark's own; requests counted by
the broker (JMX). The 2 cores were shared with other test runs — load average ${b13.loadAverage.start.join(', ')} at the
start, ${b13.loadAverage.end.join(', ')} at the end, the 1-minute figure per window in the last column — so the CPU
columns are noise at this size (the default interval's ~20 commits/s would add ~${f((on.flowing[0]?.offsetCommitsPerS ?? 0) * (b13.fleetCost?.brokerCoreSecondsPerRequest ?? Number.NaN), 3)} broker cores at
B10's cost per request), and Fetch/s follows how fast the verifiers drain the topic; the other request
counts are not noise.

| window | OffsetCommit/s per verifier, off | on | on, per verifier per event | receipts/s counted by the feeds, on | Fetch/s off | on | other requests/s off | on | on ÷ off | broker cores off | on | on ÷ off | verifier cores off | on | on ÷ off | load off / on |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${windowRows(off, on).join('\n')}

Broker requests by API, receipts on: idle ${apis(on.idle)}; ${on.flowing.map((w) => `at ${w.offeredEventsPerS}/s ${apis(w)}`).join('; ')}.
Receipts off: idle ${apis(off.idle)}. At start each verifier committed ${f(on.receiptsAtStart / b13.verifiers, 1)} times (a new group
gets its position in full).

Receipt latency (receipts on): ${on.latency[0]?.events ?? 0} revocations one at a time on an idle topic, each ${b13.quietMs / 1000} s after the
previous receipt (so each is the first after a quiet spell and committed at once); the operator package asks
until all ${b13.verifiers} verifiers' receipts are past the event. Receipts per verifier per lone event: ${f(on.receiptsPerLoneEventPerVerifier)}.
"Wait" starts after the producer's ack and locating the event (one ListOffsets read).

| asked with | complete | publish → receipt p50 ms | p95 | max | publish → last apply p50 | p95 | wait p50 | rounds per event | OffsetFetch per event | ListGroups + DescribeGroups per event | partition reads per event |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${latencyRows.join('\n')}

${x === null ? '' : costParagraph(off, on, costArm, x, b13.fleetCost, b13.verifiers)}`;
  });
}
