/** Text helpers of the human output: tables, numbers, times and durations. */

/** Aligns rows under a header; every cell is text. Columns are two spaces apart. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `12,345`: thousands grouped the same way on every machine. */
export function count(value: number): string {
  return Math.trunc(value)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1 verifier`, `2 verifiers`. */
export function plural(value: number, noun: string, nouns = `${noun}s`): string {
  return `${count(value)} ${value === 1 ? noun : nouns}`;
}

/** An instant as ISO 8601 in UTC, to the second unless it has milliseconds worth showing. */
export function isoTime(ms: number, precise = false): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  return precise ? iso : iso.replace(/\.\d{3}Z$/, 'Z');
}

/** A span of time for humans: `41 ms`, `9m 58s`, `2h 5m`, `7d`. */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const seconds = Math.floor(abs / 1000);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** `in 9m 58s` or `3m ago`, from `now`. */
export function relativeTime(ms: number, now: number): string {
  return ms >= now ? `in ${humanDuration(ms - now)}` : `${humanDuration(now - ms)} ago`;
}
