/**
 * A grouped horizontal bar chart as SVG text, for RESULTS.md (GitHub shows SVG inline). Hand
 * written like the propagation chart: a few dozen lines, and no charting dependency in a
 * benchmark package whose output must stay byte-stable for review.
 */

/** One series (a colour in every group). */
export interface BarSeries {
  readonly name: string;
  readonly color: string;
}

/** One group of bars, one value per series (NaN: no bar). */
export interface BarGroup {
  readonly label: string;
  readonly values: readonly number[];
}

/** What {@link renderBarChart} draws. */
export interface BarChart {
  readonly title: string;
  readonly subtitle: string;
  /** Unit shown after each value. */
  readonly unit: string;
  readonly series: readonly BarSeries[];
  readonly groups: readonly BarGroup[];
  /** Digits of the value labels. Default 2. */
  readonly digits?: number;
}

/** Escapes text for an SVG text node. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A chart's opening: the SVG element, a white ground, the title and subtitle from `left`. */
export function svgHead(
  width: number,
  height: number,
  left: number,
  chart: { readonly title: string; readonly subtitle: string },
): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="${left}" y="34" fill="#555">${escapeXml(chart.subtitle)}</text>`,
  ];
}

/** Renders `chart` on a linear scale from 0 to the largest value. */
export function renderBarChart(chart: BarChart): string {
  const left = 170;
  const plotWidth = 520;
  const barHeight = 14;
  const groupGap = 14;
  const top = 70;
  const digits = chart.digits ?? 2;
  const groupHeight = chart.series.length * barHeight + groupGap;
  const height = top + Math.max(1, chart.groups.length) * groupHeight + 20;
  const width = left + plotWidth + 110;
  const finite = chart.groups.flatMap((g) => g.values).filter((v) => Number.isFinite(v));
  const max = Math.max(...finite, 1e-9);
  const x = (v: number) => left + (Math.max(0, v) / max) * plotWidth;
  const parts = svgHead(width, height, left, chart);
  chart.series.forEach((s, i) => {
    const lx = left + i * 170;
    parts.push(
      `<rect x="${lx}" y="44" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="53">${escapeXml(s.name)}</text>`,
    );
  });
  chart.groups.forEach((group, g) => {
    const y0 = top + g * groupHeight;
    parts.push(
      `<text x="${left - 8}" y="${y0 + (chart.series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(group.label)}</text>`,
    );
    group.values.forEach((value, i) => {
      if (!Number.isFinite(value)) return;
      const y = y0 + i * barHeight;
      const color = chart.series[i]?.color ?? '#999';
      parts.push(
        `<rect x="${left}" y="${y + 1}" width="${Math.max(1, x(value) - left).toFixed(1)}" height="${barHeight - 2}" fill="${color}"/>`,
        `<text x="${(x(value) + 4).toFixed(1)}" y="${y + barHeight - 3}" fill="#333">${value.toFixed(digits)} ${escapeXml(chart.unit)}</text>`,
      );
    });
  });
  if (chart.groups.length === 0) {
    parts.push(`<text x="${left}" y="${top + 14}" fill="#555">not in this run</text>`);
  }
  parts.push(
    `<line x1="${left}" y1="${top - 4}" x2="${left}" y2="${top + chart.groups.length * groupHeight}" stroke="#333"/>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
