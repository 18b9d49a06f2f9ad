/** The B10 section of RESULTS.md and its chart (fleet.svg). */
import { renderLineChart } from '../lib/line-chart.js';
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure } from '../results.js';
import { at, idleCoresLine, perEventCoresLine } from './capacity.js';
import type { FleetFits, LineFit } from './capacity.js';
import type { B10Point, B10Result } from './run.js';

const f = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const int = (value: number | null | undefined): string =>
  value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : Math.round(value).toLocaleString('en-US');

function apis(rates: Readonly<Record<string, number>>): string {
  return Object.entries(rates)
    .filter(([api, rate]) => rate >= 0.05 && api !== 'FetchConsumer' && api !== 'FetchFollower')
    .sort((a, b) => b[1] - a[1])
    .map(([api, rate]) => `${api} ${f(rate, 1)}`)
    .join(', ');
}

function pointRow(p: B10Point): string {
  const i = p.idle;
  return `| ${p.nodes} | ${p.verifiers} | ${f(i.brokerCores, 3)} (${i.brokerCoresByNode.map((c) => f(c, 3)).join(' / ')}) | ${f(i.verifierCores, 3)} | ${f(i.totalRequestsPerS, 0)}: ${apis(i.requestsPerS)} | ${i.connectionsByNode.join(' / ')} | ${i.groups} | ${i.incrementalFetchSessionsByNode.join(' / ')} | ${f(i.fetchSessionEvictionsPerS, 2)} | ${f(p.flowing.brokerCores, 3)} | ${f(p.eventsPerS, 0)} | ${f(p.brokerCoreSecondsPerEvent * 1000, 3)} | ${f(p.propagationFarthestMs.p50, 0)} / ${f(p.propagationFarthestMs.p99, 0)} | ${f(p.produceMs.p99, 0)} | ${f(p.propagationFromAckMs.p99, 0)} | ${p.missing} |`;
}

const slope = (fit: LineFit, scale = 1, digits = 4) =>
  `${f(fit.slope * scale, digits)} (r² ${f(fit.r2, 3)})`;

function fitRows(fits: FleetFits): string {
  return [
    `| ${fits.nodes} | ${slope(fits.idleBrokerCores, 1000, 3)} | ${slope(fits.brokerCoreSecondsPerEvent, 1e6, 3)} | ${slope(fits.idleVerifierCores, 1000, 3)} | ${slope(fits.idleRequestsPerS, 1, 2)} | ${slope(fits.connectionsPerBroker, 1, 2)} | ${slope(fits.heartbeatsPerS, 1, 3)} | ${slope(fits.networkBytesPerEvent, 1, 0)} | ${slope(fits.requestsPerEvent, 1, 3)} | ${f(fits.brokerCoreSecondsPerRequest * 1e6, 0)}${fits.costPerRequestFrom !== null && fits.costPerRequestFrom !== fits.nodes ? ` (from ${fits.costPerRequestFrom} node)` : ''} |`,
  ].join('\n');
}

/**
 * The relay arm: the same fleets behind one host relay per process, and what the curve says a
 * fleet of 10,000 costs that way.
 */
function relayTable(b10: B10Result): string {
  const relayed = b10.points.filter((p) => (p.relays ?? 0) > 0);
  if (relayed.length === 0) return 'No relay arm in this run.';
  const x = b10.extrapolation?.throughRelays;
  const direct = (p: B10Point) =>
    b10.points.find(
      (d) => (d.relays ?? 0) === 0 && d.nodes === p.nodes && d.verifiers === p.verifiers,
    );
  return `**Through host relays** (\`@revocation-fabric/verifier/relay\`): the same fleets with one relay per process of ${b10.verifiersPerProcess} — one Kafka consumer and group per "host" — and its verifiers reading it over loopback HTTP.

| nodes | N | relays (consumers) | broker cores idle | same N direct | broker requests/s idle | groups | broker cores flowing | publish → farthest p50 / p99 ms | missing |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${relayed
  .map(
    (p) =>
      `| ${p.nodes} | ${p.verifiers} | ${p.relays ?? 0} | ${f(p.idle.brokerCores, 3)} | ${f(direct(p)?.idle.brokerCores, 3)} | ${f(p.idle.totalRequestsPerS, 0)} | ${p.idle.groups} | ${f(p.flowing.brokerCores, 3)} | ${f(p.propagationFarthestMs.p50, 0)} / ${f(p.propagationFarthestMs.p99, 0)} | ${p.missing} |`,
  )
  .join('\n')}
${
  x === undefined
    ? ''
    : `
A relay is one consumer, so the broker's cost of a relayed fleet is the direct curve read at the number of hosts: ${b10.extrapolation?.fleet.toLocaleString('en-US') ?? '10,000'} verifiers, ${x.podsPerHost} per host, are ${x.hosts.toLocaleString('en-US')} consumers — **${f(x.idleBrokerCores, 2)} broker cores idle, ${f(x.flowingBrokerCores, 2)} at ${b10.offeredEventsPerS} revocations/s** on 3 nodes.`
}`;
}

/** What the curve says, in sentences built from the figures. */
function reading(b10: B10Result): string {
  const lines = b10.clusters.map((c) => {
    const of = b10.points.filter((p) => p.nodes === c.nodes);
    const sessions = Math.max(
      0,
      ...of.map((p) => Math.max(...p.idle.incrementalFetchSessionsByNode)),
    );
    const extraGroups = of.filter((p) => p.idle.groups > p.verifiers);
    const fits = c.fits;
    return `- **${c.nodes} node${c.nodes === 1 ? '' : 's'}:** an idle verifier sends ${f(fits.idleRequestsPerS.slope, 2)} requests/s (one fetch per broker per ${b10.settings.fetchWaitMs / 1000} s wait, and heartbeats) and holds ${f(fits.connectionsPerBroker.slope, 2)} connections to each broker; incremental fetch sessions stay at ${sessions} per broker whatever N (${sessions > 0 ? 'the replica fetchers’; ' : ''}the verifiers open none), evictions ${Math.max(0, ...of.map((p) => p.idle.fetchSessionEvictionsPerS)) > 0 ? 'seen' : 'none'}; ${extraGroups.length === 0 ? 'one group per verifier' : `more groups than verifiers at N = ${extraGroups.map((p) => `${p.verifiers} (${p.idle.groups})`).join(', ')}: consumers replaced during the start leave their old group behind`}. With revocations flowing, a verifier costs ${f(fits.requestsPerEvent.slope, 3)} requests per event (1 would be a fetch per event; less means records coalesce into fetches as the box saturates) and ${f(fits.networkBytesPerEvent.slope, 0)} bytes out per event.`;
  });
  const behind = b10.points.filter((p) => p.propagationFromAckMs.p99 > 1_000);
  if (behind.length > 0) {
    lines.push(
      `- **Saturation:** at ${behind.map((p) => `${p.verifiers} on ${p.nodes} node${p.nodes === 1 ? '' : 's'}`).join(', ')} the farthest verifier applied revocations more than 1 s after the ack (p99): the box (brokers, fleet and everything else on its cores) no longer kept up, records coalesced into fewer fetches, and the per-event figures there are of a saturated machine — the per-event cost is bracketed below between the coalesced figure and one fetch per event per verifier.`,
    );
  }
  return lines.join('\n');
}

/** Renders B10 (or says it was not run / failed). */
export function b10Section(result: B10Result | BenchFailure | undefined): string {
  const title = '## B10 — Fleet: the broker’s cost against the number of verifiers';
  return resultSection(title, result, (b10) => {
    const s = b10.settings;
    const x = b10.extrapolation;
    const limits =
      x === null
        ? 'No 3-node figures in this run: no extrapolation.'
        : `At ${x.fleet.toLocaleString('en-US')} verifiers on ${x.nodes} nodes the curve gives **${f(x.idleBrokerCores, 2)} broker cores idle** (${x.idleBasis}) and **${f(x.flowingBrokerCores, 2)} cores at ${b10.offeredEventsPerS} revocations/s** (per event: ${x.perEventBasis}). If every revocation cost every verifier one fetch (a fleet that keeps up; on this box fetches coalesce several records as N grows), ${b10.offeredEventsPerS} revocations/s would cost **${f(x.flowingBrokerCoresIfEveryEventWakesEveryFetch, 1)} cores**. Where a CPU slope is too small against the brokers' own noise to fit (slope ≤ 0 or r² < 0.5), it is modelled as the fitted requests per verifier (r² ≈ 1) times the marginal cost of a request (the slope of broker cores against requests/s over the flowing windows); the fleet itself spends ${f(x.idleVerifierCoresEach * 1000, 3)} ms of CPU per second per idle verifier. The limits, first reached first:

| limit | where | reached at N | at ${x.fleet.toLocaleString('en-US')} | why |
| --- | --- | --- | --- | --- |
${x.limits.map((l) => `| ${l.name} | ${l.limit} | ${l.reachedAtN === null ? 'not by growth' : int(l.reachedAtN)} | ${l.projected} | ${l.note} |`).join('\n')}

**First limit reached: ${x.limits[0]?.name ?? '—'}${x.limits[0]?.reachedAtN === null || x.limits[0] === undefined ? '' : ` at about ${int(x.limits[0].reachedAtN)} verifiers`}.**`;
    return `${title}

![broker cores against fleet size](fleet.svg)

N verifiers (${b10.sizes.join(', ')}), ${b10.verifiersPerProcess} per process, each with its own feed
and consumer group, against clusters of our own (1 node, then 3, JMX on loopback): a
${b10.settleMs / 1000} s settle, a ${b10.windowMs / 1000} s idle window, then a ${b10.flowingWindowMs / 1000} s window with
${b10.offeredEventsPerS} session revocations/s. The verifier's consumer, which the slopes depend on:
${s.client}, fetch wait ${s.fetchWaitMs} ms (minBytes ${s.minBytes}), heartbeat every ${s.heartbeatIntervalMs} ms
(session timeout ${s.sessionTimeoutMs} ms, kafkajs defaults), ${s.consumerGroup}; fetch sessions:
${s.fetchSessions}. More groups than verifiers means consumers were replaced during the start
(each new consumer joins a group of its own; the old group stays until the coordinator expires it).

| nodes | N | broker cores idle (per node) | verifier cores | broker requests/s idle, by API | connections per broker | groups | incremental fetch sessions per broker | evictions/s | broker cores flowing | events/s | broker core-ms per event | publish → farthest p50 / p99 ms | publish → ack p99 ms | ack → farthest p99 ms | missing |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${b10.points
  .filter((p) => (p.relays ?? 0) === 0)
  .map(pointRow)
  .join('\n')}

${relayTable(b10)}

Fits against N (slope per verifier, least squares):

| nodes | broker core-ms/s idle | broker core-µs per event | verifier core-ms/s idle | broker requests/s idle | connections per broker | heartbeats/s | bytes out per event | requests per event | broker core-µs per request (marginal, flowing windows) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${b10.clusters.map((c) => fitRows(c.fits)).join('\n')}

${reading(b10)}

${limits}
`;
  });
}

/** Broker cores against N, 1 and 3 nodes, idle and flowing, with the 3-node fit to 10,000. */
export function renderFleetChart(
  result: B10Result | BenchFailure | undefined,
  run: string,
): string {
  const b10 = result === undefined || 'error' in result ? undefined : result;
  const points = b10?.points ?? [];
  const series = (nodes: number, pick: (p: B10Point) => number) =>
    points.filter((p) => p.nodes === nodes).map((p): [number, number] => [p.verifiers, pick(p)]);
  const three = b10?.clusters.find((c) => c.nodes === 3)?.fits;
  const fleet = b10?.extrapolation?.fleet ?? 10_000;
  const rate = b10?.offeredEventsPerS ?? 100;
  const fitted = (line: (n: number) => number): [number, number][] =>
    [1, 10, 100, 1_000, fleet].map((n) => [n, line(n)]);
  return renderLineChart({
    title: 'Broker CPU against the number of verifiers (cores)',
    subtitle: `${run}; dashed: 3-node fit extrapolated to ${fleet.toLocaleString('en-US')}; target ≤ 1 core idle at 10,000`,
    xLabel: 'verifiers (log scale)',
    yLabel: 'broker cores, all nodes (log scale)',
    logX: true,
    logY: true,
    rules: [{ y: 1, label: 'target: 1 core idle' }],
    series: [
      { name: '1 node, idle', color: '#7fb3d5', points: series(1, (p) => p.idle.brokerCores) },
      { name: '3 nodes, idle', color: '#1f618d', points: series(3, (p) => p.idle.brokerCores) },
      {
        name: `1 node, ${rate} ev/s`,
        color: '#f0b27a',
        points: series(1, (p) => p.flowing.brokerCores),
      },
      {
        name: `3 nodes, ${rate} ev/s`,
        color: '#ca6f1e',
        points: series(3, (p) => p.flowing.brokerCores),
      },
      ...(three === undefined
        ? []
        : [
            {
              name: '3 nodes idle, fit',
              color: '#1f618d',
              dashed: true,
              points: fitted((n) => at(idleCoresLine(three).line, n)),
            },
            {
              name: `3 nodes ${rate} ev/s, fit`,
              color: '#ca6f1e',
              dashed: true,
              points: fitted(
                (n) =>
                  at(idleCoresLine(three).line, n) + rate * at(perEventCoresLine(three).line, n),
              ),
            },
          ]),
    ],
  });
}
