/**
 * Prometheus metrics of one instance, on a registry of its own (several instances can share a
 * process in tests). The outbox gauges are read from the database at scrape time, so they show
 * the backlog of every instance, not just this one's.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutboxBacklog } from '@revocation-fabric/publisher';

/** The service's metrics. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly publishFailures: Counter;
  readonly published: Counter;
  readonly relayLeader: Gauge;
  readonly revocations: Counter<'kind' | 'reason'>;
  readonly logins: Counter<'outcome'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  /** @param readBacklog reads the outbox backlog; called on every scrape. */
  constructor(readBacklog: () => Promise<OutboxBacklog>, now: () => number = () => Date.now()) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    let scraped: Promise<OutboxBacklog> | undefined;
    // One query serves both gauges of a scrape.
    const backlog = () => {
      scraped ??= readBacklog().finally(() => {
        setTimeout(() => (scraped = undefined), 0);
      });
      return scraped;
    };
    new Gauge({
      name: 'user_service_outbox_depth',
      help: 'Revocation events committed but not yet acknowledged by Kafka.',
      registers,
      async collect() {
        this.set((await backlog()).depth);
      },
    });
    new Gauge({
      name: 'user_service_outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest unsent revocation event; 0 when the outbox is empty.',
      registers,
      async collect() {
        const oldest = (await backlog()).oldestCreatedAt;
        this.set(oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000));
      },
    });
    this.publishFailures = new Counter({
      name: 'user_service_outbox_publish_failures_total',
      help: 'Failed attempts to publish a batch of revocation events to Kafka.',
      registers,
    });
    this.published = new Counter({
      name: 'user_service_outbox_published_total',
      help: 'Revocation events acknowledged by Kafka (acks=all).',
      registers,
    });
    this.relayLeader = new Gauge({
      name: 'user_service_outbox_relay_leader',
      help: '1 while this instance is the one relaying the outbox.',
      registers,
    });
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
