/**
 * A line chart as SVG text, for RESULTS.md: measured points joined by lines, optionally a dashed
 * series (a fitted extrapolation). Hand written like the bar chart (bar-chart.ts), for the same
 * reason: no charting dependency, byte-stable output for review. The x axis may be logarithmic,
 * so a curve measured from 1 to 200 verifiers and its extrapolation to 10,000 share one chart.
 */
import { escapeXml, svgHead } from './bar-chart.js';

/** One series: points (NaN coordinates skipped), a colour, dashed for a fit. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: ReadonlyArray<readonly [x: number, y: number]>;
  readonly dashed?: boolean;
}

/** What {@link renderLineChart} draws. */
export interface LineChart {
  readonly title: string;
  readonly subtitle: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Log₁₀ x axis (every x must be > 0). Default: linear. */
  readonly logX?: boolean;
  /** Log₁₀ y axis from a decade below the smallest positive value. Default: linear from 0. */
  readonly logY?: boolean;
  readonly series: readonly LineSeries[];
  /** Horizontal reference lines (a target, a capacity). */
  readonly rules?: ReadonlyArray<{ readonly y: number; readonly label: string }>;
}

const WIDTH = 760;
const HEIGHT = 420;
const LEFT = 70;
const RIGHT = 30;
const TOP = 80;
const BOTTOM = 50;

/** "Nice" tick values from 0 to at least `max`: 1, 2 or 5 times a power of ten apart. */
function linearTicks(max: number): number[] {
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let v = 0; (ticks[ticks.length - 1] ?? -1) < max; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

function label(value: number): string {
  return Math.abs(value) >= 1000 ? value.toLocaleString('en-US') : String(Number(value.toFixed(3)));
}

/** Renders `chart`; y from 0 to the largest value (rules included), x over the points' range. */
export function renderLineChart(chart: LineChart): string {
  const finite = chart.series.flatMap((s) =>
    s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  );
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const xs = finite.map(([x]) => x);
  const ys = [...finite.map(([, y]) => y), ...(chart.rules ?? []).map((r) => r.y)];
  const logY = chart.logY === true;
  const positive = ys.filter((y) => y > 0);
  const yMin = logY ? 10 ** Math.floor(Math.log10(Math.min(...positive, 1))) : 0;
  const yTicks = logY
    ? Array.from(
        { length: Math.ceil(Math.log10(Math.max(...positive, 1))) - Math.log10(yMin) + 1 },
        (_, i) => yMin * 10 ** i,
      )
    : linearTicks(Math.max(...ys, 1e-9));
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const log = chart.logX === true;
  const xMin = log ? 10 ** Math.floor(Math.log10(Math.min(...xs, 1))) : 0;
  const xMaxRaw = Math.max(...xs, 1);
  const xTicks = log
    ? Array.from(
        { length: Math.ceil(Math.log10(xMaxRaw)) - Math.log10(xMin) + 1 },
        (_, i) => xMin * 10 ** i,
      )
    : linearTicks(xMaxRaw);
  const xMax = xTicks[xTicks.length - 1] ?? xMaxRaw;
  const px = (x: number) =>
    LEFT +
    (log
      ? ((Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * plotW
      : (x / xMax) * plotW);
  // A fit may run below the axis: the chart clips it there.
  const py = (y: number) => {
    const v = Math.min(yMax, Math.max(yMin, y));
    const share = logY
      ? (Math.log10(v) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))
      : v / yMax;
    return TOP + plotH - share * plotH;
  };
  const parts = svgHead(WIDTH, HEIGHT, LEFT, chart);
  chart.series.forEach((s, i) => {
    const lx = LEFT + (i % 3) * 225;
    const ly = 48 + Math.floor(i / 3) * 14;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 18}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5,3"' : ''}/><text x="${lx + 22}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
    );
  });
  for (const t of yTicks) {
    parts.push(
      `<line x1="${LEFT}" y1="${py(t).toFixed(1)}" x2="${LEFT + plotW}" y2="${py(t).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${LEFT - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${label(t)}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(
      `<line x1="${px(t).toFixed(1)}" y1="${TOP}" x2="${px(t).toFixed(1)}" y2="${TOP + plotH}" stroke="#eee"/>`,
      `<text x="${px(t).toFixed(1)}" y="${TOP + plotH + 16}" text-anchor="middle">${label(t)}</text>`,
    );
  }
  for (const rule of chart.rules ?? []) {
    parts.push(
      `<line x1="${LEFT}" y1="${py(rule.y).toFixed(1)}" x2="${LEFT + plotW}" y2="${py(rule.y).toFixed(1)}" stroke="#c0392b" stroke-dasharray="2,2"/>`,
      `<text x="${LEFT + plotW - 4}" y="${(py(rule.y) - 4).toFixed(1)}" text-anchor="end" fill="#c0392b">${escapeXml(rule.label)}</text>`,
    );
  }
  for (const s of chart.series) {
    const points = s.points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || x > 0),
    );
    if (points.length === 0) continue;
    const path = points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5,3"' : ''}/>`,
    );
    if (s.dashed !== true) {
      for (const [x, y] of points) {
        parts.push(
          `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.color}"/>`,
        );
      }
    }
  }
  if (finite.length === 0) {
    parts.push(`<text x="${LEFT + 10}" y="${TOP + 20}" fill="#555">not in this run</text>`);
  }
  parts.push(
    `<line x1="${LEFT}" y1="${TOP + plotH}" x2="${LEFT + plotW}" y2="${TOP + plotH}" stroke="#333"/>`,
    `<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="#333"/>`,
    `<text x="${LEFT + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text x="16" y="${TOP + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${TOP + plotH / 2})">${escapeXml(chart.yLabel)}</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
