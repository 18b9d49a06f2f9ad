/**
 * The metrics every service has: a registry of its own (several instances share a process in
 * tests), Node's default process metrics on it, and the HTTP shell's duration histogram. Each
 * service adds its own metrics to the same registry.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** A service's registry and the shell's histogram. */
export interface ServiceMetricsBase {
  readonly registry: Registry;
  /** `<prefix>http_request_duration_seconds{method,route,status}`. */
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Registers a counter on the registry (full name: dashboards and alerts grep for it). */
  counter<Label extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly Label[],
  ): Counter<Label>;
}

/**
 * Creates a service's registry with the default metrics and the HTTP duration histogram.
 *
 * @example
 * ```ts
 * const { registry, httpDuration } = serviceMetrics('user_service_');
 * ```
 */
export function serviceMetrics(
  prefix: string,
  defaultLabels: Readonly<Record<string, string>> = {},
): ServiceMetricsBase {
  const registry = new Registry();
  registry.setDefaultLabels({ ...defaultLabels });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by route template.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    counter: (name, help, labelNames = []) =>
      new Counter({ name, help, labelNames: [...labelNames], registers: [registry] }),
  };
}
