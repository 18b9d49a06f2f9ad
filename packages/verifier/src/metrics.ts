/**
 * Prometheus metrics, registered in a registry the caller injects. prom-client is imported
 * lazily, so a verifier without metrics never loads it. Gauges are computed at scrape time
 * from the verifier's stats, so the hot path only ever increments counters.
 */
import type * as PromClient from 'prom-client';
import type { TopicRetentionVerdict } from '@revocation-fabric/protocol';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { MetricsRegistry } from './options.js';
import type { VerifierErrorCode } from './errors.js';
import type { PoisonCode } from './feed.js';
import type { RefusedEventReason } from './authority.js';
import type { VerifierStats } from './stats.js';

/** Metric names, without the prefix. */
const NAMES = {
  rules: 'blocklist_rules',
  applied: 'events_applied_total',
  poison: 'poison_events_total',
  refused: 'events_refused_total',
  lag: 'consumer_lag',
  sinceContact: 'seconds_since_last_contact',
  sinceApplied: 'seconds_since_last_applied_event',
  stale: 'stale',
  ready: 'ready',
  delay: 'event_apply_delay_seconds',
  verifications: 'verifications_total',
  retentionTooShort: 'topic_retention_too_short',
  receipts: 'receipts_total',
} as const;

/**
 * The retention verdicts of the topics a feed reads (the protocol's `checkTopicRetention`, via
 * the Kafka feed's `checkFeedTopicRetention`); `undefined` until they were checked.
 */
export type TopicRetentionSource = () => readonly TopicRetentionVerdict[] | undefined;

/** Delay buckets in seconds, from 1 ms (a healthy local cluster) to a minute (an outage). */
const DELAY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/**
 * Throws when a metric of this verifier is already registered, so the clash shows at
 * `createVerifier` rather than as a rejected promise later.
 */
export function assertMetricNamesFree(registry: MetricsRegistry, prefix: string): void {
  for (const name of Object.values(NAMES)) {
    if (registry.getSingleMetric(prefix + name) !== undefined) {
      throw new TypeError(
        `metrics: ${prefix + name} is already registered; give each verifier its own metrics.prefix or registry`,
      );
    }
  }
}

/** The verifier's metrics; every method is cheap enough for the hot path. */
export class VerifierMetrics {
  readonly #registry: MetricsRegistry;
  readonly #names: readonly string[];
  readonly #applied: Counter;
  readonly #poison: Counter<'code'>;
  readonly #refused: Counter<'reason'>;
  readonly #delay: Histogram;
  readonly #verifications: Counter<'outcome'>;

  private constructor(
    registry: Registry,
    prefix: string,
    client: typeof PromClient,
    stats: () => VerifierStats,
    topicRetention: TopicRetentionSource | undefined,
  ) {
    const { Counter, Gauge, Histogram } = client;
    const registers = [registry];
    // A scrape collects every gauge in the same tick: take one stats snapshot per tick rather
    // than one per gauge.
    let snapshot: VerifierStats | undefined;
    const scrape = (): VerifierStats => {
      if (snapshot === undefined) {
        snapshot = stats();
        queueMicrotask(() => {
          snapshot = undefined;
        });
      }
      return snapshot;
    };
    this.#registry = registry;
    this.#names = Object.values(NAMES).map((name) => prefix + name);
    new Gauge({
      name: prefix + NAMES.rules,
      help: 'Revocation rules held in the blocklist, by kind.',
      labelNames: ['kind'],
      registers,
      collect() {
        for (const [kind, count] of Object.entries(scrape().rulesByKind)) this.set({ kind }, count);
      },
    });
    new Gauge({
      name: prefix + NAMES.lag,
      help: 'Revocation records not yet applied, by partition (`topic/partition`).',
      labelNames: ['partition'],
      registers,
      collect() {
        for (const [partition, lag] of Object.entries(scrape().lagByPartition))
          this.set({ partition }, lag);
      },
    });
    /** A gauge of one sample, read from the stats snapshot at scrape time. */
    const statGauge = (name: string, help: string, value: (stats: VerifierStats) => number) =>
      new Gauge({
        name: prefix + name,
        help,
        registers,
        collect() {
          this.set(value(scrape()));
        },
      });
    const seconds = (ms: number | null): number => (ms === null ? -1 : ms / 1000);
    statGauge(
      NAMES.sinceContact,
      'Seconds since the last successful fetch or heartbeat (-1 before the first).',
      (s) => seconds(s.msSinceLastContact),
    );
    statGauge(
      NAMES.sinceApplied,
      'Seconds since the feed last delivered a revocation event (-1 before the first).',
      (s) => seconds(s.msSinceLastAppliedEvent),
    );
    statGauge(
      NAMES.stale,
      '1 while the revocation feed is stale (no broker contact for maxStalenessMs).',
      (s) => (s.stale ? 1 : 0),
    );
    statGauge(NAMES.ready, '1 once the revocation topic has been replayed.', (s) =>
      s.ready ? 1 : 0,
    );
    // Receipts: read from the stats at scrape time, counted up by what moved since the last.
    const receiptsSeen = { committed: 0, failed: 0 };
    new Counter<'outcome'>({
      name: prefix + NAMES.receipts,
      help: 'Commits of the applied position to the verifier’s consumer group (its receipts for operators), by outcome (committed, failed).',
      labelNames: ['outcome'],
      registers,
      collect() {
        const receipts = scrape().receipts;
        if (receipts === null) return;
        for (const outcome of ['committed', 'failed'] as const) {
          const moved = receipts[outcome] - receiptsSeen[outcome];
          if (moved > 0) this.inc({ outcome }, moved);
          receiptsSeen[outcome] = Math.max(receiptsSeen[outcome], receipts[outcome]);
        }
      },
    });
    new Gauge({
      name: prefix + NAMES.retentionTooShort,
      help: '1 for a revocation topic kept shorter than the longest token lifetime + 2 × clock tolerance (a restarted verifier may miss rules; the verifier is NOT_READY), 0 when long enough; by topic, once checked.',
      labelNames: ['topic'],
      registers,
      collect() {
        this.reset();
        for (const verdict of topicRetention?.() ?? []) {
          this.set({ topic: verdict.topic }, verdict.sufficient ? 0 : 1);
        }
      },
    });
    const counter = <Label extends string>(name: string, help: string, labelNames: Label[]) =>
      new Counter<Label>({ name: prefix + name, help, labelNames, registers });
    this.#applied = counter(
      NAMES.applied,
      'Valid revocation events read, replay and other issuers’ (ignored) events included.',
      [],
    );
    this.#poison = counter(
      NAMES.poison,
      'Revocation records skipped as poison, by protocol error code.',
      ['code'],
    );
    this.#refused = counter(
      NAMES.refused,
      'Valid revocation events refused by their issuer’s authority rules (never applied), by reason.',
      ['reason'],
    );
    this.#delay = new Histogram({
      name: prefix + NAMES.delay,
      help: 'Seconds from an event being issued to its rule being applied, for events applied after ready.',
      buckets: DELAY_BUCKETS,
      registers,
    });
    this.#verifications = counter(
      NAMES.verifications,
      'Token verifications, by outcome: ok or the error code.',
      ['outcome'],
    );
  }

  /**
   * Loads prom-client and registers the metrics. `topicRetention` gives the topics' retention
   * verdicts at scrape time; without it, `topic_retention_too_short` has no samples.
   */
  static async create(
    registry: MetricsRegistry,
    prefix: string,
    stats: () => VerifierStats,
    topicRetention?: TopicRetentionSource,
  ): Promise<VerifierMetrics> {
    const client = await import('prom-client');
    // The caller's registry was checked structurally (options.ts); prom-client's metric
    // constructors want its own Registry type for `registers`.
    return new VerifierMetrics(registry as Registry, prefix, client, stats, topicRetention);
  }

  /** An event was applied; `delayMs` is set for live events (not during the startup replay). */
  applied(delayMs: number | undefined): void {
    this.#applied.inc();
    if (delayMs !== undefined) this.#delay.observe(Math.max(0, delayMs) / 1000);
  }

  poison(code: PoisonCode): void {
    this.#poison.inc({ code });
  }

  refused(reason: RefusedEventReason): void {
    this.#refused.inc({ reason });
  }

  verification(outcome: 'ok' | VerifierErrorCode): void {
    this.#verifications.inc({ outcome });
  }

  /** Unregisters every metric of this verifier. */
  remove(): void {
    for (const name of this.#names) this.#registry.removeSingleMetric(name);
  }
}
