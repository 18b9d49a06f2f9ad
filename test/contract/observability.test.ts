/**
 * The operators' dashboard and alert rules (`infra/observability/`) against the code: every
 * metric a PromQL expression reads must be a series some process of the fabric really exposes,
 * as its registry reports it, so a renamed or removed metric breaks this test instead of
 * silently emptying a panel or disarming an alert.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { metricNames } from './promql-metrics.js';
import { registeredMetricFamilies, seriesNames } from './registered-metrics.js';
import type { MetricFamilies } from './registered-metrics.js';

const observability = (file: string) =>
  readFileSync(new URL(`../../infra/observability/${file}`, import.meta.url), 'utf8');

/** Series Prometheus writes itself for every target: not the code's to register. */
const PROMETHEUS_SERIES = new Set(['up']);

const SEVERITIES = new Set(['critical', 'warning', 'info']);

interface AlertRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface RuleFile {
  readonly groups: ReadonlyArray<{ readonly name: string; readonly rules: readonly AlertRule[] }>;
}

interface DashboardPanel {
  readonly title?: string;
  readonly targets?: ReadonlyArray<{ readonly expr?: string }>;
  readonly panels?: readonly DashboardPanel[];
}

/** Every expression of the dashboard, with the title of its panel, rows' panels included. */
function dashboardExpressions(panels: readonly DashboardPanel[]): Array<[string, string]> {
  return panels.flatMap((panel): Array<[string, string]> => [
    ...(panel.targets ?? []).flatMap((target): Array<[string, string]> =>
      target.expr === undefined ? [] : [[panel.title ?? '(untitled)', target.expr]],
    ),
    ...dashboardExpressions(panel.panels ?? []),
  ]);
}

describe('the dashboard and the alert rules', () => {
  let families: ReadonlyMap<string, MetricFamilies>;
  let series: Set<string>;
  /** The metrics `expression` reads that no process exposes. */
  const unknownMetrics = (expression: string) =>
    metricNames(expression).filter((name) => !series.has(name) && !PROMETHEUS_SERIES.has(name));

  beforeAll(async () => {
    families = await registeredMetricFamilies();
    series = new Set(
      [...families.values()].flatMap((process) =>
        [...process].flatMap(([name, type]) => seriesNames(name, type)),
      ),
    );
  }, 60_000);

  it('reads the metrics of every process from its real registry', () => {
    const names = (process: string) => [...(families.get(process)?.keys() ?? [])];
    expect(names('game-service')).toContainEqual(expect.stringMatching(/^revocation_verifier_/));
    expect(names('game-service')).toContainEqual(expect.stringMatching(/^game_/));
    expect(names('user-service')).toContainEqual(expect.stringMatching(/^user_service_outbox_/));
    expect(names('revocation-gateway')).toContainEqual(
      expect.stringMatching(/^revocation_gateway_outbox_/),
    );
  });

  it('finds the metrics of an expression, not its functions, labels or ranges', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(revocation_verifier_event_apply_delay_seconds_bucket[$__rate_interval])))',
      ),
    ).toEqual(['revocation_verifier_event_apply_delay_seconds_bucket']);
    expect(
      metricNames(
        'sum by (outcome) (rate(a_total{outcome!="ok", job=~"x|y"}[5m] offset 1h)) / ignoring (outcome) group_left sum(rate(b_total[5m])) > 0.05 and on (job) c == bool 1',
      ),
    ).toEqual(['a_total', 'b_total', 'c']);
    expect(() => metricNames('sum({__name__=~"user_service_.*"})')).toThrow(/__name__/);
  });

  it('flags a misspelt metric and a histogram read by its bare name', () => {
    expect(
      unknownMetrics('sum by (reason) (rate(revocation_verifier_events_refused_totl[5m])) > 0'),
    ).toEqual(['revocation_verifier_events_refused_totl']);
    expect(unknownMetrics('rate(revocation_verifier_event_apply_delay_seconds[5m])')).toEqual([
      'revocation_verifier_event_apply_delay_seconds',
    ]);
    expect(unknownMetrics('rate(revocation_verifier_event_apply_delay_seconds_count[5m])')).toEqual(
      [],
    );
  });

  it('alerts only on metrics the code registers, each rule with for, severity and its texts', () => {
    const rules = (parse(observability('prometheus-alerts.yaml')) as RuleFile).groups.flatMap(
      (group) => group.rules,
    );
    expect(rules.length).toBeGreaterThan(0);
    const problems = rules.flatMap((rule) => {
      const name = rule.alert ?? rule.record ?? '(unnamed)';
      const found = unknownMetrics(rule.expr).map((metric) => `${name}: unknown metric ${metric}`);
      if (rule.alert === undefined) return found;
      if (rule.for === undefined) found.push(`${name}: no for`);
      if (!SEVERITIES.has(rule.labels?.['severity'] ?? '')) found.push(`${name}: no severity`);
      for (const text of ['summary', 'description', 'runbook']) {
        if (!rule.annotations?.[text]) found.push(`${name}: no ${text}`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it('charts only metrics the code registers', () => {
    const dashboard = JSON.parse(observability('grafana-dashboard.json')) as {
      readonly panels: readonly DashboardPanel[];
    };
    const expressions = dashboardExpressions(dashboard.panels);
    expect(expressions.length).toBeGreaterThan(0);
    const problems = expressions.flatMap(([title, expression]) =>
      unknownMetrics(expression).map((metric) => `${title}: unknown metric ${metric}`),
    );
    expect(problems).toEqual([]);
  });
});
