/**
 * The seam between the verifier and its source of revocation events. The Kafka feed
 * (`@revocation-fabric/verifier/kafka`) is one implementation; another client, another broker
 * or a test's hand-driven feed is another. The verifier only ever sees decoded events, so
 * nothing broker-shaped crosses this seam.
 */
import type {
  EventErrorCode,
  RevocationEvent,
  TopicRetentionVerdict,
  TraceContextHeaders,
} from '@revocation-fabric/protocol';
import type { VerifierLogger } from './logger.js';

/**
 * Where an event was read, for the verifier's authority checks: which source (a source is
 * written by one producer, so it says who stated the rule) and the record's signature.
 */
export interface EventOrigin {
  /**
   * The source the event was read from: for the Kafka feed, its topic. An issuer's
   * `revocations.sources` name the sources allowed to speak for it.
   */
  readonly source: string;
  /** The record's detached brake signature (`revocation-signature` header), if it had one. */
  readonly signature?: string | undefined;
  /** The record's value exactly as read: what a signature covers. */
  readonly payload: Uint8Array | string;
  /**
   * The record's timestamp (ms), what the event was judged at when decoded; absent when the
   * source has none. A relay passes it on, so verifiers behind it judge events alike.
   */
  readonly timestamp?: number | undefined;
  /**
   * The record's W3C trace context (`traceparent`, `tracestate` headers), when the producer
   * traced it: with tracing on, the verifier's apply joins that trace. A relay passes it on.
   */
  readonly trace?: TraceContextHeaders | undefined;
}

/** What a feed delivers to: decoded events, and the codes of records it had to skip. */
export interface RevocationSink {
  /** A valid event, in partition order, with where it was read. Must not throw. */
  event(event: RevocationEvent, origin: EventOrigin): void;
  /** A record that was skipped as poison. Must not throw. */
  poison(code: PoisonCode): void;
  /**
   * The sink's state, for a feed that keeps snapshots (the Kafka feed's `snapshot` option);
   * absent when the sink has none to give.
   */
  readonly snapshots?: SinkSnapshots | undefined;
}

/**
 * A sink's state for snapshots. A feed that keeps snapshots saves the state with the positions
 * it reflects and, at the next start, merges it back and delivers only what came after those
 * positions. Merging is the rules' own max/union, so it commutes with the events delivered.
 */
export interface SinkSnapshots {
  /**
   * Names everything that decides which events the sink applies and how (trusted issuers, the
   * sources allowed to speak for them, lifetimes, tolerance): a snapshot taken under another
   * fingerprint is never used.
   */
  readonly fingerprint: string;
  /**
   * The state as JSON-safe data, reflecting every event delivered so far; `undefined` when it
   * cannot (an event delivered is still being checked, such as a brake awaiting its keys).
   */
  capture(): unknown;
  /**
   * Merges a captured state back. Idempotent, and commutes with events.
   *
   * @throws TypeError, before changing anything, when `state` is not a state of this sink.
   */
  restore(state: unknown): void;
}

/** Why a record was skipped: the protocol's refusal code. */
export type PoisonCode = EventErrorCode;

/** A feed's view of its own progress. */
export interface FeedStats {
  /** The startup replay reached the high-water marks captured at start. */
  readonly ready: boolean;
  /** Last successful fetch or heartbeat, ms since the epoch; `undefined` before the first. */
  readonly lastContactAt: number | undefined;
  /** Records not yet applied, per partition, keyed `topic/partition`. */
  readonly lagByPartition: Readonly<Record<string, number>>;
  /** Valid events delivered to the sink. */
  readonly applied: number;
  /**
   * Receipts given: commits of the applied position to the feed's own consumer group, which
   * operators read to tell which verifiers applied an event. Optional: a feed without them.
   */
  readonly receipts?: number | undefined;
  /** Receipts that failed to commit (operators then see this verifier as a laggard). */
  readonly receiptFailures?: number | undefined;
  /** Skipped records per code. */
  readonly poisonByCode: Readonly<Partial<Record<PoisonCode, number>>>;
  /**
   * The retention of every source judged at start (a topic that deletes events before their
   * rules may be forgotten keeps the feed from ever becoming ready); `undefined` before the
   * check, or for a feed that has none.
   */
  readonly topicRetention?: readonly TopicRetentionVerdict[] | undefined;
}

/**
 * A source of revocation events. Its contract is the verifier's safety: `ready()` must not
 * resolve before every event committed before the feed started has been delivered, and
 * `lastContactAt()` must only move when the source was actually heard from.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ ...options, revocations: ({ logger, now }) => new MyFeed({ logger, now }) });
 * ```
 */
export interface RevocationFeed {
  /** Starts delivering; never throws (trouble is retried and logged). Called once. */
  start(sink: RevocationSink): void;
  /** Resolves once the startup replay is complete; rejects if the feed closes first. */
  ready(): Promise<void>;
  /** Cheap form of `stats().ready`, for the hot path. */
  isReady(): boolean;
  /** Cheap form of `stats().lastContactAt`, for the hot path. */
  lastContactAt(): number | undefined;
  /** Cheap form of `stats().topicRetention`. Optional: a feed without a retention check. */
  topicRetention?(): readonly TopicRetentionVerdict[] | undefined;
  /** Progress snapshot, for stats and metrics. */
  stats(): FeedStats;
  /** Stops delivering and releases every resource. Idempotent. */
  close(): Promise<void>;
}

/** What the verifier hands a feed when it creates it. */
export interface RevocationFeedContext {
  /** The verifier's logger. */
  readonly logger: VerifierLogger;
  /** The verifier's clock, ms since the epoch: contact times must be read from it. */
  readonly now: () => number;
  /**
   * The verifier's clock tolerance, in ms: how far an event's cutoff may lie past the time it
   * was recorded (pass it to `decodeEvent`).
   */
  readonly clockToleranceMs: number;
  /**
   * The verifier goes stale after this long without contact, in ms: a feed that long-polls
   * must hear from its source well within it (the Kafka feed derives its fetch wait from it).
   */
  readonly maxStalenessMs?: number | undefined;
  /**
   * The longest token lifetime (ms) among the trusted issuers a source may speak for, or
   * `undefined` when none may: what that source's retention must cover.
   */
  readonly maxTokenLifetimeMs: (source: string) => number | undefined;
}

/**
 * Builds the feed of one verifier; the `revocations` option of `createVerifier`. Called once,
 * by `createVerifier`, with the verifier's logger, clock and tolerance.
 *
 * @example
 * ```ts
 * const revocations: RevocationFeedFactory = (context) => new MyFeed(context);
 * ```
 */
export type RevocationFeedFactory = (context: RevocationFeedContext) => RevocationFeed;
