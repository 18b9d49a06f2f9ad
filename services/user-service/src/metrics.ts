/**
 * Prometheus metrics of one instance, on a registry of its own (several instances can share a
 * process in tests). The write path's (`user_service_outbox_*`) are the issuer kit's,
 * registered on this registry.
 */
import type { Counter, Histogram, Registry } from 'prom-client';
import { serviceMetrics } from '@revocation-fabric/service-runtime';

/** The service's metrics. */
export class ServiceMetrics {
  readonly registry: Registry;
  readonly revocations: Counter<'kind' | 'reason'>;
  readonly logins: Counter<'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    const base = serviceMetrics('user_service_');
    this.registry = base.registry;
    this.httpDuration = base.httpDuration;
    this.revocations = base.counter(
      'user_service_revocations_total',
      'Revocation events committed to the outbox, by kind and reason.',
      ['kind', 'reason'],
    );
    this.logins = base.counter('user_service_logins_total', 'Login attempts by outcome.', [
      'outcome',
    ]);
  }
}
