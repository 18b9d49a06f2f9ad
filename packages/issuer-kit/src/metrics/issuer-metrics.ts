/**
 * The metrics every issuer exposes about its write path, under the service's name prefix
 * (`user_service_`, `revocation_gateway_`): the outbox backlog, read from the database at scrape
 * time (so it shows every instance's backlog, not just this one's), what the relay published or
 * failed to, and whether this instance leads the relay.
 */
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { OutboxBacklog, RelayObserver } from '@revocation-fabric/publisher';

/** Options of {@link registerIssuerMetrics}. */
export interface IssuerMetricsOptions {
  /** Prefix of every metric name, e.g. `user_service_` (its metric names are public: keep it). */
  readonly prefix: string;
  /** Reads the outbox backlog; called once per scrape. */
  readonly backlog: () => Promise<OutboxBacklog>;
  /** ms since the epoch. */
  readonly now: () => number;
}

/** The write path's metrics, and the relay hooks that feed them. */
export interface IssuerMetrics {
  /** `<prefix>outbox_published_total`. */
  readonly published: Counter;
  /** `<prefix>outbox_publish_failures_total`. */
  readonly publishFailures: Counter;
  /** `<prefix>outbox_relay_leader`. */
  readonly relayLeader: Gauge;
  /** Give it to the relay. */
  readonly observer: RelayObserver;
}

/**
 * Registers `<prefix>outbox_depth`, `<prefix>outbox_oldest_unsent_age_seconds`,
 * `<prefix>outbox_published_total`, `<prefix>outbox_publish_failures_total` and
 * `<prefix>outbox_relay_leader` on `registry`.
 *
 * @example
 * ```ts
 * const metrics = registerIssuerMetrics(registry, {
 *   prefix: 'user_service_', backlog: () => outboxBacklog(store.db), now,
 * });
 * ```
 */
export function registerIssuerMetrics(
  registry: Registry,
  options: IssuerMetricsOptions,
): IssuerMetrics {
  const registers = [registry];
  const { prefix, now } = options;
  let scraped: Promise<OutboxBacklog> | undefined;
  // One query serves both gauges of a scrape.
  const backlog = () => {
    scraped ??= options.backlog().finally(() => {
      setTimeout(() => (scraped = undefined), 0);
    });
    return scraped;
  };
  new Gauge({
    name: `${prefix}outbox_depth`,
    help: 'Revocation events committed but not yet acknowledged by Kafka.',
    registers,
    async collect() {
      this.set((await backlog()).depth);
    },
  });
  new Gauge({
    name: `${prefix}outbox_oldest_unsent_age_seconds`,
    help: 'Age of the oldest unsent revocation event; 0 when the outbox is empty.',
    registers,
    async collect() {
      const oldest = (await backlog()).oldestCreatedAt;
      this.set(oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  const publishFailures = new Counter({
    name: `${prefix}outbox_publish_failures_total`,
    help: 'Failed attempts to publish a batch of revocation events to Kafka.',
    registers,
  });
  const published = new Counter({
    name: `${prefix}outbox_published_total`,
    help: 'Revocation events acknowledged by Kafka (acks=all).',
    registers,
  });
  const relayLeader = new Gauge({
    name: `${prefix}outbox_relay_leader`,
    help: '1 while this instance is the one relaying the outbox.',
    registers,
  });
  return {
    published,
    publishFailures,
    relayLeader,
    observer: {
      published: (count) => published.inc(count),
      publishFailed: () => publishFailures.inc(),
      leaderChanged: (leader) => relayLeader.set(leader ? 1 : 0),
    },
  };
}
