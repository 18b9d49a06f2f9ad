/**
 * Finds the metric names a PromQL expression reads. Not a PromQL parser: it removes what can
 * hold identifiers that are not metrics — strings, label matchers, ranges, grouping label
 * lists, Grafana variables — then keeps the identifiers that are neither a function call nor a
 * keyword. Enough for the expressions of a dashboard and a rule file, and strict where it
 * matters: a selector by `__name__` is refused, since it names no metric this could check.
 */

/** Words of PromQL that look like identifiers but name no metric. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/** Modifiers whose parentheses hold label names. */
const LABEL_LISTS = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g;

/**
 * The metric names `expression` reads, in order of first use.
 *
 * @throws Error when the expression selects series by `__name__`.
 * @example
 * ```ts
 * metricNames('sum by (code) (rate(revocation_verifier_poison_events_total[5m]))');
 * // ['revocation_verifier_poison_events_total']
 * ```
 */
export function metricNames(expression: string): string[] {
  if (expression.includes('__name__')) {
    throw new Error(`select metrics by name, not by __name__: ${expression}`);
  }
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/#[^\n]*/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(LABEL_LISTS, ' ');
  const names: string[] = [];
  for (const match of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = match[0];
    const rest = bare.slice(match.index + word.length);
    const isCall = /^\s*\(/.test(rest);
    const isNumber = /[0-9.]$/.test(bare.slice(0, match.index)); // 1e3, 0x1f, 5m
    if (isCall || isNumber || KEYWORDS.has(word.toLowerCase()) || names.includes(word)) continue;
    names.push(word);
  }
  return names;
}
