import { isFailure } from '../results.js';
import type { BenchFailure } from '../results.js';

/**
 * One benchmark's section of RESULTS.md: what `render` makes of its result, or under `title`
 * that it was not run, or the first line of its error.
 *
 * @example
 * ```ts
 * resultSection('## B5 — memory', results.b5, (b5) => `## B5 — memory\n\n${table(…)}\n`);
 * ```
 */
export function resultSection<T extends object>(
  title: string,
  result: T | BenchFailure | undefined,
  render: (result: T) => string,
): string {
  if (result === undefined) return `${title}\n\nNot run.\n`;
  if (isFailure(result)) {
    return `${title}\n\n**Failed:** \`${result.error.split('\n')[0] ?? ''}\` (full error in the result file).\n`;
  }
  return render(result);
}
