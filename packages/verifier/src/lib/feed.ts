/**
 * The seam between the verifier and its source of revocation events. Production uses the
 * Kafka consumer; unit tests of the verifier's lifecycle drive a feed by hand. It is not a fake
 * broker: nothing Kafka-shaped is imitated, the verifier only ever sees decoded events.
 */
import type { ProtocolErrorCode, RevocationEvent } from '@revocation-fabric/protocol';

/** What a feed delivers to: decoded events, and the codes of records it had to skip. */
export interface RevocationSink {
  /** A valid event, in partition order. Must not throw. */
  event(event: RevocationEvent): void;
  /** A record that was skipped as poison. Must not throw. */
  poison(code: PoisonCode): void;
}

/** Why a record was skipped: the protocol's refusal code. */
export type PoisonCode = ProtocolErrorCode;

/** A feed's view of its own progress. */
export interface FeedStats {
  /** The startup replay reached the high-water marks captured at start. */
  readonly ready: boolean;
  /** Last successful fetch or heartbeat, ms since the epoch; `undefined` before the first. */
  readonly lastContactAt: number | undefined;
  /** Records not yet applied, per partition. */
  readonly lagByPartition: Readonly<Record<number, number>>;
  /** Valid events delivered to the sink. */
  readonly applied: number;
  /** Skipped records per code. */
  readonly poisonByCode: Readonly<Partial<Record<PoisonCode, number>>>;
}

/** A source of revocation events. */
export interface RevocationFeed {
  /** Starts delivering; never throws (trouble is retried and logged). Called once. */
  start(sink: RevocationSink): void;
  /** Resolves once the startup replay is complete; rejects if the feed closes first. */
  ready(): Promise<void>;
  /** Cheap form of `stats().ready`, for the hot path. */
  isReady(): boolean;
  /** Cheap form of `stats().lastContactAt`, for the hot path. */
  lastContactAt(): number | undefined;
  stats(): FeedStats;
  /** Stops delivering and releases every resource. Idempotent. */
  close(): Promise<void>;
}
