/** The B9 section of RESULTS.md. */
import { resultSection } from '../lib/result-section.js';
import type { BenchFailure } from '../results.js';
import type { ClientSummary, IdleSummary, Ratios } from './summary.js';
import type { B9Result } from './run.js';

const f = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const x = (value: number | undefined): string =>
  value === undefined || !Number.isFinite(value) ? '—' : `${value.toFixed(2)}×`;

function idleAt(client: ClientSummary, consumers: number): IdleSummary | undefined {
  return client.idle.find((s) => s.consumers === consumers);
}

function apis(summary: IdleSummary | undefined): string {
  if (summary === undefined) return '—';
  return Object.entries(summary.requestsPerSByApiPerConsumer)
    .filter(([, perS]) => perS > 0)
    .map(([api, perS]) => `${api} ${perS.toFixed(2)}`)
    .join(', ');
}

/** Renders B9 (or says it was not run / failed). */
export function b9Section(result: B9Result | BenchFailure | undefined): string {
  const title = '## B9 — Kafka client: kafkajs or @platformatic/kafka (issue 18)';
  return resultSection(title, result, (b9) => {
    const k = b9.clients.find((c) => c.client === 'kafkajs');
    if (k === undefined) return `${title}\n\nIncomplete result.\n`;
    const others = b9.clients.filter((c) => c.client !== 'kafkajs');
    const version = (client: string) =>
      b9.facts.find((fact) => fact.client === client)?.installedVersion ?? '?';
    /** A row: the figure of every reader, each @platformatic/kafka one followed by its ratio. */
    const row = (
      label: string,
      value: (c: ClientSummary) => string,
      ratioOf: (r: Ratios, c: ClientSummary) => string = () => '',
    ): string[] => [
      label,
      value(k),
      ...others.flatMap((c) => {
        const r = b9.ratios[c.client];
        return [value(c), r === undefined ? '' : ratioOf(r, c)];
      }),
    ];
    const rows: string[][] = [];
    for (const n of b9.plan.idle.consumerCounts) {
      const at = (c: ClientSummary) => idleAt(c, n);
      rows.push(
        row(
          `idle CPU per reader, ${n} in a process (ms/s above the floor)`,
          (c) => f(at(c)?.cpuMsPerSPerConsumer),
          (r) => x(r.idleCpuPerConsumer[String(n)]),
        ),
        row(
          `idle CPU of the process, ${n} reader${n === 1 ? '' : 's'}: cpuUsage (/proc), ms/s`,
          (c) => `${f(at(c)?.cpuMsPerS)} (${f(at(c)?.procCpuMsPerS, 1)})`,
          (_, c) => x((at(c)?.cpuMsPerS ?? NaN) / (at(k)?.cpuMsPerS ?? NaN)),
        ),
        row(
          `broker requests/s per reader, ${n} in a process`,
          (c) => f(at(c)?.requestsPerSPerConsumer),
          (r) => x(r.idleRequestsPerConsumer[String(n)]),
        ),
        row(`… by API (the client's count)`, (c) => apis(at(c))),
      );
    }
    const pp = (d: ClientSummary['propagationFromSendMs']) => `${f(d.p50)} / ${f(d.p99)}`;
    rows.push(
      row(
        'propagation p50 / p99 from the send (ms)',
        (c) => pp(c.propagationFromSendMs),
        (r) => `${x(r.propagationP50)} / ${x(r.propagationP99)}`,
      ),
      row('propagation p50 / p99 from the ack (ms)', (c) => pp(c.propagationFromAckMs)),
      row('propagation p99 of each round (ms)', (c) =>
        c.propagationRoundP99Ms.map((v) => f(v)).join(', '),
      ),
    );
    for (const mode of ['decode', 'count'] as const) {
      const cold = (c: ClientSummary) => c.coldStart.find((s) => s.mode === mode);
      const label = mode === 'decode' ? 'decodeEvent each record' : 'count only';
      rows.push(
        row(
          `cold start ${b9.plan.coldStart.rules.toLocaleString('en-US')} rules, ${label}: s (runs)`,
          (c) =>
            `${f((cold(c)?.medianMs ?? NaN) / 1000)} (${
              cold(c)
                ?.runsMs.map((ms) => f(ms / 1000, 1))
                .join(', ') ?? ''
            })`,
          (r) => x(r.coldStartMs[mode]),
        ),
        row(
          '… its CPU (s)',
          (c) => f((cold(c)?.medianCpuMs ?? NaN) / 1000),
          (r) => x(r.coldStartCpuMs[mode]),
        ),
      );
    }
    rows.push(row('warnings printed', (c) => c.warnings.join('; ') || 'none'));
    const header = [
      'figure',
      `kafkajs ${version('kafkajs')} (idle-timer fix)`,
      ...others.flatMap((c) => [
        `@platformatic/kafka ${version('platformatic')}, ${c.client === 'platformatic' ? "the feed's settings" : 'its defaults'}`,
        'ratio',
      ]),
    ];
    const factRows = b9.facts.map((fact) => [
      `${fact.packageName} ${fact.installedVersion}`,
      fact.engines,
      fact.registryError === undefined
        ? `latest ${fact.latest ?? '?'} stamped ${fact.latestStamp?.slice(0, 10) ?? '?'}; newest stamp ${fact.newestStamps?.[0]?.version ?? '?'} ${fact.newestStamps?.[0]?.at.slice(0, 10) ?? ''}`
        : `registry not read: ${fact.registryError}`,
      fact.broadcast,
      fact.security,
      fact.brokerVersions,
    ]);
    const line = (cells: readonly string[]) =>
      `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
    const m = b9.machine;
    return `${title}

Bare broadcast readers configured as the verifier's feed is (own group, nothing committed, fetch
wait ${b9.fetchWaitMs / 1000} s, minBytes 1), same broker (${b9.brokers.join(',')}); medians of
${b9.plan.idle.rounds} alternating round(s) (idle: ${b9.plan.idle.warmupMs / 1000} s warm-up, ${b9.plan.idle.windowMs / 1000} s window;
propagation: ${b9.plan.propagation.events} events at ${b9.plan.propagation.ratePerS}/s; cold start: ${b9.plan.coldStart.repetitions} run(s) per client and mode).
Ratio = that @platformatic/kafka reader ÷ kafkajs: below 1 favours @platformatic/kafka. *The feed's
settings*: the fetch sizes, metadata age and group timeouts the feed gets from kafkajs' defaults,
so both clients fetch alike; *its defaults*: @platformatic/kafka's own (50 MiB fetches, metadata
max age 5 s). Machine: ${m.cores} cores shared
with other work; 1-min load ${m.loadavgStart.map((l) => f(l)).join(' / ')} at the start, ${m.loadavgEnd.map((l) => f(l)).join(' / ')} at the end (1/5/15 min); idle windows ${f(m.idleWindowBusy.min * 100, 0)}–${f(m.idleWindowBusy.max * 100, 0)} % busy (median ${f(m.idleWindowBusy.median * 100, 0)} %).

${line(header)}
${line(header.map(() => '---'))}
${rows.map(line).join('\n')}

${line(['package', 'Node engines', 'registry (npm view … time dist-tags)', 'broadcast reader', 'TLS / SASL', 'brokers'])}
${line(['---', '---', '---', '---', '---', '---'])}
${factRows.map(line).join('\n')}

Findings: [client-choice/README.md](src/client-choice/README.md). Decision:
[docs/decisions.md](../docs/decisions.md), "The Kafka client: kafkajs or @platformatic/kafka (issue 18)".
`;
  });
}
