/**
 * Regenerates `bench/RESULTS.md` and `bench/propagation.svg` from the newest result file.
 * Runnable on its own: `node bench/dist/report.js`.
 *
 * The chart is hand-written SVG (a few lines, rects and circles): about twenty rows on a log
 * axis need no charting library, and plain SVG text keeps the file small, deterministic and
 * readable in a diff and on GitHub without a renderer.
 */
import { b7Section } from './idle/section.js';
import { b8Section } from './issuer/section.js';
import { b9Section } from './client-choice/section.js';
import { b10Section, renderFleetChart } from './fleet/section.js';
import { b11Section, renderStormChart } from './storm/section.js';
import { b12Section } from './tracing/section.js';
import { b13Section } from './receipts/section.js';
import { renderColdStartChart, renderIdleChart } from './charts.js';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { B3Config, B3Socket } from './propagation/run.js';
import type { Distribution } from './lib/stats.js';
import type { BenchId, BenchResults } from './results.js';
import { BENCH_IDS, isFailure } from './results.js';
import { resultSection } from './lib/result-section.js';
import { evaluateTargets } from './targets.js';

export interface WrittenReport {
  readonly source: string;
  readonly markdown: string;
  /** The propagation chart; the cold-start and idle charts are written beside it. */
  readonly chart: string;
}

/** The result file that finished last. */
function readResults(resultsDir: string): { file: string; results: BenchResults }[] {
  const all: { file: string; results: BenchResults }[] = [];
  for (const name of readdirSync(resultsDir)) {
    // Run files only (`<date>-<sha>…json`), not B9's stable copy beside them.
    if (!/^\d{4}-\d{2}-\d{2}-.*\.json$/.test(name)) continue;
    const file = join(resultsDir, name);
    all.push({ file, results: JSON.parse(readFileSync(file, 'utf8')) as BenchResults });
  }
  // Newest first.
  return all.sort((a, b) => (a.results.finishedAt < b.results.finishedAt ? 1 : -1));
}

export function newestResults(resultsDir: string): { file: string; results: BenchResults } {
  const newest = readResults(resultsDir)[0];
  if (newest === undefined)
    throw new Error(`no result file in ${resultsDir}: run pnpm bench first`);
  return newest;
}

/** Which result file each benchmark of a composed page comes from. */
export type ResultSources = Readonly<Partial<Record<BenchId, string>>>;

const BENCH_KEYS = {
  B1: 'b1',
  B2: 'b2',
  B3: 'b3',
  B4: 'b4',
  B5: 'b5',
  B6: 'b6',
  B7: 'b7',
  B8: 'b8',
  B9: 'b9',
  B10: 'b10',
  B11: 'b11',
  B12: 'b12',
  B13: 'b13',
} as const;

/**
 * The newest result file, with each benchmark it did not run filled in from the newest earlier
 * file of the same mode that did: a partial run (`--only B5`) updates its own sections without
 * blanking the others. The page names the file behind every section.
 */
export function composeResults(resultsDir: string): {
  file: string;
  results: BenchResults;
  sources: ResultSources;
} {
  const all = readResults(resultsDir).filter(
    (entry, _i, list) => entry.results.mode === list[0]?.results.mode,
  );
  const newest = all[0];
  if (newest === undefined)
    throw new Error(`no result file in ${resultsDir}: run pnpm bench first`);
  const composed: { -readonly [K in keyof BenchResults]: BenchResults[K] } = { ...newest.results };
  const sources: Partial<Record<BenchId, string>> = {};
  for (const id of BENCH_IDS) {
    const key = BENCH_KEYS[id];
    const from = all.find((entry) => entry.results[key] !== undefined);
    if (from === undefined) continue;
    sources[id] = basename(from.file);
    if (from !== newest) Object.assign(composed, { [key]: from.results[key] });
  }
  composed.only = BENCH_IDS.filter((id) => sources[id] !== undefined);
  return { file: newest.file, results: composed, sources };
}

function n(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function int(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value)
    ? 'n/a'
    : Math.round(value).toLocaleString('en-US');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function b1Section(results: BenchResults): string {
  const title = '## B1 — check cost in process (µs per call)';
  return resultSection(title, results.b1, (b1) => {
    const pp = (d: Distribution, digits: number) => `${n(d.p50, digits)} / ${n(d.p99, digits)}`;
    const rows = b1.cases.map((c) => [
      int(c.rules),
      pp(c.hotVerify, 2),
      pp(c.hotVerifySameString, 2),
      n(c.checkBatchMeanUs, 2),
      pp(c.coldVerify, 1),
      pp(c.coldVerifyNoCache, 1),
      pp(c.joseJwks, 1),
      pp(c.joseKey, 1),
      pp(c.joseRedis, 1),
      pp(c.redisExists, 1),
      `${n(c.ratios.joseOverHot, 1)}×`,
      `${n(c.ratios.coldOverJose, 3)}×`,
      `${n(c.ratios.joseRedisOverHot, 1)}×`,
      `${n(c.ratios.joseRedisOverCold, 2)}×`,
    ]);
    return `${title}

Median / p99 per call. *hit*: \`verify()\` of a cached token, passed as a fresh string as a
parsed request header is; *hit, hashed string*: the same string object every time, so V8 skips
hashing the ~550-character cache key; *miss*: a token never seen; *check()*: synchronous
re-judgement of a \`VerifiedToken\` (batch mean). Baselines: \`jose.jwtVerify\` with the same
local JWK Set (or the key object), and jose + \`EXISTS\` in Redis (the "jti in Redis" design).

${table(
  [
    'rules',
    'verify hit',
    'hit, hashed string',
    'check()',
    'verify miss',
    'miss, no cache',
    'jose (JWKS)',
    'jose (key)',
    'jose + Redis',
    'Redis EXISTS',
    'jose ÷ hit',
    'miss ÷ jose',
    'jose+Redis ÷ hit',
    'jose+Redis ÷ miss',
  ],
  rows,
)}
`;
  });
}

function b2Section(results: BenchResults): string {
  const title = '## B2 — over HTTP (express, loopback, autocannon)';
  return resultSection(title, results.b2, (b2) => {
    const label = {
      none: '(a) no auth',
      verifier: '(b) verifier middleware',
      'jose-redis': '(c) jose + Redis',
    };
    const rows = b2.modes.map((m) => [
      label[m.mode],
      int(m.requestsPerSecond),
      `${n(m.throughputVsNone, 2)}×`,
      n(m.p99Ms, 0),
      `${n(m.p99VsNone, 2)}×`,
      int(m.rounds.reduce((sum, r) => sum + r.non2xx + r.errors, 0)),
    ]);
    return `${title}

${b2.connections} connections, ${b2.durationSeconds} s per measurement, ${b2.rounds} round(s); medians.
Latency comes from autocannon's histogram (whole milliseconds).

${table(['endpoint', 'req/s', 'req/s vs (a)', 'p99 ms', 'p99 vs (a)', 'non-2xx + errors'], rows)}
`;
  });
}

function configLabel(c: B3Config): string {
  const source = c.source === 'producer' ? ' · producer' : '';
  const short = c.achievedRate < 0.95 * c.rate ? ` (got ${int(c.achievedRate)})` : '';
  return `${c.cluster} · ${c.verifiers} verifier${c.verifiers === 1 ? '' : 's'} · ${int(c.rate)}/s${short}${source}`;
}

function socketLabel(s: B3Socket): string {
  return `${s.cluster} · sockets · ${s.rate}/s`;
}

function b3Section(results: BenchResults, chartName: string): string {
  const title = '## B3 — propagation (ms)';
  return resultSection(title, results.b3, (b3) => {
    const rows = b3.configs.map((c) => [
      c.cluster,
      c.source === 'producer' ? 'producer acks=all' : 'logout response',
      String(c.verifiers),
      int(c.rate),
      n(c.achievedRate, 0),
      n(c.propagationMs.p50),
      n(c.propagationMs.p95),
      n(c.propagationMs.p99),
      n(c.propagationMs.max),
      n(c.worstVerifierP99Ms),
      n(c.logoutResponseMs.p99),
      String(c.beforeResponse),
      c.cpuBusy === undefined ? 'n/a' : `${int(c.cpuBusy * 100)} %`,
      String(c.missing),
    ]);
    const socketRows = b3.sockets.map((s) => [
      s.cluster,
      String(s.sockets),
      String(s.rate),
      n(s.revokedEventMs.p50),
      n(s.disconnectMs.p50),
      n(s.disconnectMs.p95),
      n(s.disconnectMs.p99),
      n(s.disconnectMs.max),
      String(s.missing),
    ]);
    const setups = b3.clusters
      .map(
        (c) =>
          `${c.cluster}: Kafka ${c.kafkaVersion} at ${c.brokers.join(',')}, replication factor ${c.replicationFactor}${c.clusterStartMs === undefined ? '' : `, started in ${n(c.clusterStartMs / 1000, 0)} s`}`,
      )
      .join('; ');
    return `${title}

![propagation latency percentiles per configuration](${chartName})

From the revocation's acknowledgement (*logout response*: the user-service's \`204\`; *producer
acks=all*: a kafkajs send of the same session event resolved) to the moment each verifier
process rejects the token; percentiles over every (verifier, token) pair. *achieved/s*: answers
per second actually obtained (the offered rate is sent open-loop). *rejected before the answer*:
(verifier, token) pairs whose rejection preceded the acknowledgement's arrival in the load
generator (negative latency): the relay publishes right after the commit, so a client whose event
loop is busy can read its answer after the verifiers have acted. ${setups}.

${table(
  [
    'cluster',
    'from',
    'verifiers',
    'offered/s',
    'achieved/s',
    'p50',
    'p95',
    'p99',
    'max',
    'worst verifier p99',
    'logout answer or ack p99',
    'rejected before the answer',
    'machine CPU busy',
    'missing',
  ],
  rows,
)}

Socket disconnect through the socket.io adapter (one verifier-guarded server, clients in the
runner; logout response → client \`disconnect\`, one process, one clock):

${table(['cluster', 'sockets', 'logouts/s', 'revoked event p50', 'disconnect p50', 'p95', 'p99', 'max', 'missing'], socketRows)}
`;
  });
}

function b4Section(results: BenchResults): string {
  const title = '## B4 — cold start';
  return resultSection(title, results.b4, (b4) => {
    const rows = b4.cases.map((c) => [
      int(c.rules),
      n(c.verifierMedianMs / 1000, 2),
      c.snapshotMedianMs === undefined ? 'n/a' : n(c.snapshotMedianMs / 1000, 2),
      c.snapshotSaveMs === undefined
        ? 'n/a'
        : `${n(c.snapshotSaveMs / 1000, 2)} s (longest stall ${int(c.snapshotSaveStallMs ?? 0)} ms), ${int(c.snapshotMB ?? 0)} MB`,
      c.floorMedianMs === undefined ? 'n/a' : n(c.floorMedianMs / 1000, 2),
      n(c.bareMedianMs / 1000, 2),
      `${n(c.ratio, 2)}×`,
      c.ratioToFloor === undefined ? 'n/a' : `${n(c.ratioToFloor, 2)}×`,
      c.verifierMs.map((ms) => n(ms / 1000, 2)).join(', '),
      c.bareMs.map((ms) => n(ms / 1000, 2)).join(', '),
      int(c.verifierHeapUsedMB),
    ]);
    return `${title}

![cold start against live rules](cold-start.svg)

${table(
  [
    'live rules',
    'verifier ready s',
    'from a snapshot s',
    'snapshot save (close), size',
    'floor s (parse + keep)',
    'bare consumer s',
    'verifier ÷ bare',
    'verifier ÷ floor',
    'verifier runs',
    'bare runs',
    'verifier heap MB',
  ],
  rows,
)}
`;
  });
}

function b5Section(results: BenchResults): string {
  const title = '## B5 — memory';
  return resultSection(title, results.b5, (b5) => {
    const rows = b5.rules.map((r) => [
      r.kind,
      int(r.count),
      n(r.bytesPerRule, 1),
      n(r.decodeApplyUs, 2),
    ]);
    rows.push(['global', '1', 'n/a (a single rule)', '']);
    if (b5.floor !== undefined) {
      rows.push([
        'floor: Map<string, Smi>',
        int(b5.floor.count),
        n(b5.floor.bytesPerRule, 1),
        'n/a',
      ]);
    }
    const { cache } = b5;
    return `${title}

${table(['kind', 'rules', 'heap bytes per rule', 'decode + apply µs/event'], rows)}

Verified-token cache: **${n(cache.filled.bytesPerEntry, 0)} B per entry** (${int(cache.filled.entries)}
entries of ${cache.filled.tokenChars}-character tokens; the token string is the key) plus
${n(cache.slotBytes, 1)} B per preallocated slot: ${n(cache.bytesPerEntryTotal, 0)} B per unit of
\`cacheSize\` when full (default 10,000 → ≈ ${n((cache.bytesPerEntryTotal * 10_000) / 2 ** 20, 1)} MiB).
`;
  });
}

function b6Section(results: BenchResults): string {
  const title = '## B6 — Keycloak: revocation call → socket cut (ms)';
  return resultSection(title, results.b6, (b6) => {
    const rows = b6.rows.map((r) => [
      r.path,
      r.call,
      int(r.cutMs.n),
      n(r.cutMs.p50),
      n(r.cutMs.p95),
      n(r.cutMs.p99),
      n(r.cutMs.max),
      n(r.callMs.p50),
      String(r.missing),
      `${n(r.cpuBusy * 100, 0)} %`,
    ]);
    return `${title}

Keycloak ${b6.keycloakVersion} (${b6.keycloakSource}), ${b6.rounds} rounds per path.
From the revocation call being sent to the client's \`disconnect\` of a live socket.io
connection to the game-service; *call* is the call's own response time. CPU busy: all cores,
during the rounds of the row's stack (SSF poll runs on a second stack, see Method).

${table(
  ['path', 'call', 'n', 'cut p50', 'p95', 'p99', 'max', 'call p50', 'missing', 'CPU busy'],
  rows,
)}
`;
  });
}

function methodSection(results: BenchResults): string {
  const items: string[] = [
    'Every ratio is of two figures measured side by side in the same run (same process or alternating processes), never against a figure from another run: absolute times on a shared 2-core machine are noisy, ratios much less so.',
  ];
  const add = (id: string, value: { method: string } | { error: string } | undefined) => {
    if (value !== undefined && !isFailure(value)) items.push(`**${id}.** ${value.method}`);
  };
  add('B1', results.b1);
  add('B2', results.b2);
  add('B3', results.b3);
  if (results.b3 !== undefined && !isFailure(results.b3))
    items.push(`**B3 clock.** ${results.b3.clock}.`);
  add('B4', results.b4);
  add('B5', results.b5);
  add('B6', results.b6);
  add('B7', results.b7);
  add('B8', results.b8);
  add('B9', results.b9);
  add('B10', results.b10);
  add('B11', results.b11);
  add('B12', results.b12);
  add('B13', results.b13);
  return `## Method\n\n${items.map((item) => `- ${item}`).join('\n')}\n`;
}

export function renderMarkdown(
  results: BenchResults,
  source: string,
  chartName: string,
  sources: ResultSources = {},
): string {
  const m = results.machine;
  const bySource = new Map<string, BenchId[]>();
  for (const [id, file] of Object.entries(sources) as [BenchId, string][]) {
    bySource.set(file, [...(bySource.get(file) ?? []), id]);
  }
  const sourceLine =
    bySource.size > 1
      ? `\n- **Composed from:** ${[...bySource].map(([file, ids]) => `${ids.join(', ')} from \`results/${file}\``).join('; ')} (run, commit and machine below are the newest file's)`
      : '';
  const targets = table(
    ['target', 'measured', 'met', 'note'],
    // Re-evaluated from the figures, so an improved generator also explains older result files.
    evaluateTargets(results).map((t) => [
      t.target,
      t.measured,
      t.met === null ? '—' : t.met ? 'yes' : '**no**',
      t.note,
    ]),
  );
  return `# Benchmark results

<!-- Generated by bench/src/report.ts from results/${source}; edit the generator, not this file. -->

Run \`pnpm bench\` (full, tens of minutes) or \`pnpm bench --quick\` (smaller sizes, a few minutes);
\`--only B1,B4\` picks benchmarks (\`--only keycloak\` is B6, \`--only idle\` B7, \`--only issuer\` B8, \`--only client-choice\` B9, \`--only fleet\` B10, \`--only storm\` B11, \`--only tracing\` B12, \`--only receipts\` B13, \`--rounds N\` the rounds of B6 and B9). Each run writes \`bench/results/<date>-<sha>[-quick][-B1-B4].json\` and
regenerates this page and its charts ([propagation.svg](propagation.svg), [cold-start.svg](cold-start.svg), [idle.svg](idle.svg), [fleet.svg](fleet.svg), [storm.svg](storm.svg)) from the newest result file; a
benchmark that file did not run comes from the newest earlier file of the same mode that did.

- **Run:** ${results.mode}${results.mode === 'quick' ? ' (smaller sizes and shorter runs: indicative only; the full run is the reference)' : ''}, ${results.startedAt} → ${results.finishedAt}, benchmarks ${results.only.join(', ')}
- **Commit:** \`${results.git.sha}\`${results.git.dirty ? ' with uncommitted changes' : ''}
- **Machine:** ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}); Kafka ${m.kafkaVersion} (${m.kafkaSource}, ${m.brokers.join(',')}); Redis ${m.redisVersion}${sourceLine}

## Targets

${targets}

${b1Section(results)}
${b2Section(results)}
${b3Section(results, chartName)}
${b4Section(results)}
${b5Section(results)}
${b6Section(results)}
${b7Section(results.b7)}
${b8Section(results.b8)}
${b9Section(results.b9)}
${b10Section(results.b10)}
${b11Section(results.b11)}
${b12Section(results.b12)}
${b13Section(results.b13)}
${methodSection(results)}`;
}

interface ChartRow {
  readonly label: string;
  readonly d: Distribution;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Horizontal log-scale chart: a bar from p50 to p99, a whisker to max, marks at p50/p95/p99. */
export function renderChart(results: BenchResults): string {
  const rows: ChartRow[] = [];
  const b3 = results.b3;
  if (b3 !== undefined && !isFailure(b3)) {
    for (const c of b3.configs) rows.push({ label: configLabel(c), d: c.propagationMs });
    for (const s of b3.sockets) rows.push({ label: socketLabel(s), d: s.disconnectMs });
  }
  const left = 360;
  const plotWidth = 560;
  const rowHeight = 22;
  const top = 56;
  const height = top + Math.max(1, rows.length) * rowHeight + 50;
  const width = left + plotWidth + 30;
  const values = rows.flatMap((r) => [r.d.p50, r.d.max]).filter((v) => Number.isFinite(v) && v > 0);
  const lo = 10 ** Math.floor(Math.log10(Math.max(0.1, Math.min(1, ...values))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(100, ...values)));
  const x = (v: number) =>
    left +
    ((Math.log10(Math.min(hi, Math.max(lo, v))) - Math.log10(lo)) /
      (Math.log10(hi) - Math.log10(lo))) *
      plotWidth;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">Revocation propagation latency (ms, log scale)</text>`,
    `<text x="${left}" y="34" fill="#555">${escapeXml(`${results.mode} run ${results.startedAt.slice(0, 10)}, ${results.git.sha}; bar p50–p99, whisker to max; dashed: 20 ms (from ack) and 50 ms (from response) targets`)}</text>`,
  );
  const bottom = top + rows.length * rowHeight;
  for (let decade = lo; decade <= hi; decade *= 10) {
    for (const step of [1, 2, 5]) {
      const v = decade * step;
      if (v > hi) break;
      const px = x(v).toFixed(1);
      parts.push(`<line x1="${px}" y1="${top - 6}" x2="${px}" y2="${bottom}" stroke="#e4e4e4"/>`);
      parts.push(
        `<text x="${px}" y="${bottom + 14}" text-anchor="middle" fill="#555">${v >= 1 ? v : v.toFixed(1)}</text>`,
      );
    }
  }
  // Issue 12's targets: ≤ 20 ms from the producer's ack, ≤ 50 ms from the logout response.
  for (const limit of [20, 50]) {
    const target = x(limit).toFixed(1);
    parts.push(
      `<line x1="${target}" y1="${top - 6}" x2="${target}" y2="${bottom}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
    );
  }
  rows.forEach((row, i) => {
    const cy = top + i * rowHeight + rowHeight / 2;
    const { p50, p95, p99, max } = row.d;
    parts.push(
      `<text x="${left - 8}" y="${cy + 4}" text-anchor="end">${escapeXml(row.label)}</text>`,
    );
    if (!Number.isFinite(p50)) return;
    parts.push(
      `<line x1="${x(p99).toFixed(1)}" y1="${cy}" x2="${x(max).toFixed(1)}" y2="${cy}" stroke="#777"/>`,
    );
    parts.push(
      `<line x1="${x(max).toFixed(1)}" y1="${cy - 4}" x2="${x(max).toFixed(1)}" y2="${cy + 4}" stroke="#777"/>`,
    );
    parts.push(
      `<rect x="${x(p50).toFixed(1)}" y="${cy - 6}" width="${Math.max(1, x(p99) - x(p50)).toFixed(1)}" height="12" fill="#7fb3d5"/>`,
    );
    parts.push(
      `<circle cx="${x(p50).toFixed(1)}" cy="${cy}" r="3.5" fill="#1f618d"><title>p50 ${p50} ms</title></circle>`,
    );
    parts.push(
      `<rect x="${(x(p95) - 3).toFixed(1)}" y="${cy - 3}" width="6" height="6" fill="#1a5276"><title>p95 ${p95} ms</title></rect>`,
    );
    parts.push(
      `<circle cx="${x(p99).toFixed(1)}" cy="${cy}" r="3.5" fill="#fff" stroke="#1a5276" stroke-width="1.5"><title>p99 ${p99} ms</title></circle>`,
    );
  });
  const legendY = bottom + 34;
  parts.push(
    `<circle cx="${left}" cy="${legendY}" r="3.5" fill="#1f618d"/><text x="${left + 8}" y="${legendY + 4}">p50</text>`,
    `<rect x="${left + 47}" y="${legendY - 3}" width="6" height="6" fill="#1a5276"/><text x="${left + 58}" y="${legendY + 4}">p95</text>`,
    `<circle cx="${left + 100}" cy="${legendY}" r="3.5" fill="#fff" stroke="#1a5276" stroke-width="1.5"/><text x="${left + 108}" y="${legendY + 4}">p99</text>`,
    `<line x1="${left + 145}" y1="${legendY}" x2="${left + 165}" y2="${legendY}" stroke="#777"/><text x="${left + 170}" y="${legendY + 4}">to max</text>`,
  );
  if (rows.length === 0) {
    parts.push(`<text x="${left}" y="${top + 14}" fill="#555">B3 not in this run</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function writeReport(resultsDir: string, benchDir: string): WrittenReport {
  const { file, results, sources } = composeResults(resultsDir);
  const markdown = join(benchDir, 'RESULTS.md');
  const chart = join(benchDir, 'propagation.svg');
  writeFileSync(markdown, renderMarkdown(results, basename(file), 'propagation.svg', sources));
  writeFileSync(chart, renderChart(results));
  writeFileSync(join(benchDir, 'cold-start.svg'), renderColdStartChart(results));
  writeFileSync(join(benchDir, 'idle.svg'), renderIdleChart(results));
  const run = `${results.mode} run ${results.startedAt.slice(0, 10)}`;
  writeFileSync(join(benchDir, 'fleet.svg'), renderFleetChart(results.b10, run));
  writeFileSync(join(benchDir, 'storm.svg'), renderStormChart(results.b11, run));
  return { source: file, markdown, chart };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const benchDir = fileURLToPath(new URL('..', import.meta.url));
  const written = writeReport(join(benchDir, 'results'), benchDir);
  process.stdout.write(`${written.markdown}\n${written.chart}\n`);
}
