/**
 * Prometheus metrics of one instance, on a registry of its own (several instances can share a
 * process in tests). The write path's (`user_service_outbox_*`) are the issuer kit's,
 * registered on this registry.
 */
import { Counter } from 'prom-client';
import type { Histogram, Registry } from 'prom-client';
import { serviceMetrics } from '@revocation-fabric/service-runtime';

/** The service's metrics. */
export class ServiceMetrics {
  readonly registry: Registry;
  readonly revocations: Counter<'kind' | 'reason'>;
  readonly logins: Counter<'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    ({ registry: this.registry, httpDuration: this.httpDuration } =
      serviceMetrics('user_service_'));
    const registers = [this.registry];
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
  }
}
