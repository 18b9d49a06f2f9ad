/**
 * Prometheus metrics of one instance, on a registry of its own (several instances can share a
 * process in tests). The write path's (`user_service_outbox_*`) are the issuer kit's,
 * registered on this registry.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's metrics. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly revocations: Counter<'kind' | 'reason'>;
  readonly logins: Counter<'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.revocations = new Counter({
      name: 'user_service_revocations_total',
      help: 'Revocation events committed to the outbox, by kind and reason.',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.logins = new Counter({
      name: 'user_service_logins_total',
      help: 'Login attempts by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'user_service_http_request_duration_seconds',
      help: 'HTTP request duration by route template.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }
}
