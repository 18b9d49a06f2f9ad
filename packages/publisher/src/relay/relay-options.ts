/**
 * The relay's options, checked once where the relay is created: a wrong value is a TypeError
 * naming the option, not a misbehaving loop later.
 */
import type { Kysely } from 'kysely';
import type { PublisherLogger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { SqlDialect } from '../outbox/outbox-table.js';
import type { RevocationPublisher } from '../revocation-publisher.js';
import { DEFAULT_RELAY_LOCK_ID } from './leadership.js';

/** Hooks for metrics; each is optional and must not throw. */
export interface RelayObserver {
  /** `count` events were acknowledged by the broker (their `sent_at` marks follow, coalesced). */
  readonly published?: ((count: number) => void) | undefined;
  /** A batch of `count` events failed to publish; it is retried. */
  readonly publishFailed?: ((count: number, error: unknown) => void) | undefined;
  /** This instance took or lost the leadership. */
  readonly leaderChanged?: ((leader: boolean) => void) | undefined;
}

/** Options of an {@link OutboxRelay}. */
export interface OutboxRelayOptions<DB> {
  /** The database holding the outbox table (see `outboxMigration`). */
  readonly db: Kysely<DB>;
  /** Its dialect: PostgreSQL relays under an advisory lock, SQLite always leads. */
  readonly dialect: SqlDialect;
  /** Where events go, e.g. `kafkaPublisher(…)`. The relay closes it on `stop()`. */
  readonly publisher: RevocationPublisher;
  /** Events per publish. Default 100. */
  readonly batchSize?: number | undefined;
  /** Idle poll for events committed by other instances, in ms. Default 500. */
  readonly pollIntervalMs?: number | undefined;
  /**
   * Longest time acknowledged events wait for their `sent_at` mark while the relay is busy,
   * in ms; marks are written in one statement per interval (and at once when the relay runs
   * out of work). Default 100.
   */
  readonly markIntervalMs?: number | undefined;
  /** First retry delay after a failed publish, in ms (doubles up to the cap). Default 250. */
  readonly firstRetryDelayMs?: number | undefined;
  /** Cap of the retry delay while the broker is away, in ms. Default 30 000. */
  readonly maxRetryDelayMs?: number | undefined;
  /** How long published rows stay in the table, in ms. Default 7 days. */
  readonly retentionMs?: number | undefined;
  /** How often published rows are purged, in ms. Default 1 hour. */
  readonly purgeIntervalMs?: number | undefined;
  /** How often a non-leader tries to take the leadership (PostgreSQL), in ms. Default 2000. */
  readonly leadershipRetryMs?: number | undefined;
  /** How long `stop()` waits for a send in flight, in ms. Default 5000. */
  readonly stopGraceMs?: number | undefined;
  /** PostgreSQL advisory-lock id shared by all instances of one outbox. Default 7266110123451. */
  readonly lockId?: bigint | undefined;
  /** Where the relay logs. Default: nowhere. */
  readonly logger?: PublisherLogger | undefined;
  /** Metrics hooks. */
  readonly observer?: RelayObserver | undefined;
  /** The clock, ms since the epoch (`sent_at`, purge). Default `() => Date.now()`. */
  readonly now?: (() => number) | undefined;
}

/** Options with every default filled in. */
export interface ResolvedRelayOptions<DB> {
  readonly db: Kysely<DB>;
  readonly dialect: SqlDialect;
  readonly publisher: RevocationPublisher;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly markIntervalMs: number;
  readonly firstRetryDelayMs: number;
  readonly maxRetryDelayMs: number;
  readonly retentionMs: number;
  readonly purgeIntervalMs: number;
  readonly leadershipRetryMs: number;
  readonly stopGraceMs: number;
  readonly lockId: bigint;
  readonly logger: PublisherLogger;
  readonly observer: RelayObserver;
  readonly now: () => number;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isSafeInteger(result) || result <= 0) {
    throw new TypeError(`OutboxRelay: ${name} must be a positive integer, got ${String(value)}`);
  }
  return result;
}

/** Fills in the defaults and checks every value. */
export function resolveRelayOptions<DB>(options: OutboxRelayOptions<DB>): ResolvedRelayOptions<DB> {
  if (options.dialect !== 'sqlite' && options.dialect !== 'postgres') {
    throw new TypeError(
      `OutboxRelay: dialect must be 'sqlite' or 'postgres', got ${String(options.dialect)}`,
    );
  }
  const firstRetryDelayMs = positive(options.firstRetryDelayMs, 250, 'firstRetryDelayMs');
  const maxRetryDelayMs = positive(options.maxRetryDelayMs, 30_000, 'maxRetryDelayMs');
  if (maxRetryDelayMs < firstRetryDelayMs) {
    throw new TypeError('OutboxRelay: maxRetryDelayMs must be ≥ firstRetryDelayMs');
  }
  return {
    db: options.db,
    dialect: options.dialect,
    publisher: options.publisher,
    batchSize: positive(options.batchSize, 100, 'batchSize'),
    pollIntervalMs: positive(options.pollIntervalMs, 500, 'pollIntervalMs'),
    markIntervalMs: positive(options.markIntervalMs, 100, 'markIntervalMs'),
    firstRetryDelayMs,
    maxRetryDelayMs,
    retentionMs: positive(options.retentionMs, 7 * 24 * 3_600_000, 'retentionMs'),
    purgeIntervalMs: positive(options.purgeIntervalMs, 3_600_000, 'purgeIntervalMs'),
    leadershipRetryMs: positive(options.leadershipRetryMs, 2000, 'leadershipRetryMs'),
    stopGraceMs: positive(options.stopGraceMs, 5000, 'stopGraceMs'),
    lockId: options.lockId ?? DEFAULT_RELAY_LOCK_ID,
    logger: options.logger ?? silentLogger,
    observer: options.observer ?? {},
    now: options.now ?? (() => Date.now()),
  };
}
