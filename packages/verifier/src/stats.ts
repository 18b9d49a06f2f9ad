/**
 * The verifier's health snapshot, in a file of its own: the verifier produces it and the metrics
 * read it, and neither has to import the other for it.
 */
import type { RuleKind, TopicRetentionVerdict } from '@revocation-fabric/protocol';
import type { RefusedEventReason } from './authority.js';
import type { PoisonCode } from './feed.js';

/** A snapshot of a verifier's health, for health endpoints and logs. */
export interface VerifierStats {
  /** The startup replay is complete (and the verifier is not closed). */
  readonly ready: boolean;
  /** No broker contact for longer than `maxStalenessMs` (only meaningful once ready). */
  readonly stale: boolean;
  /**
   * The verifier accepts tokens right now: ready, and not stale under `onStale: 'closed'`.
   * What a readiness probe (`/readyz`) should answer.
   */
  readonly serving: boolean;
  /** Rules held per kind, all issuers together. */
  readonly rulesByKind: Readonly<Record<RuleKind, number>>;
  /** Rules held per kind, by trusted issuer. */
  readonly rulesByIssuer: Readonly<Record<string, Readonly<Record<RuleKind, number>>>>;
  /** Valid events read from the topic (duplicates included, events of other issuers included). */
  readonly applied: number;
  /** Events ignored because they concern an issuer this verifier does not trust. */
  readonly ignored: number;
  /**
   * Valid events of a trusted issuer refused by its authority rules: from a source it does not
   * authorize for the rule's kind, or brakes without a valid signature. Never applied.
   */
  readonly refused: {
    readonly byReason: Readonly<Partial<Record<RefusedEventReason, number>>>;
    readonly total: number;
  };
  /** Records skipped as poison. */
  readonly poison: {
    readonly byCode: Readonly<Partial<Record<PoisonCode, number>>>;
    readonly total: number;
  };
  /**
   * The retention of every topic read, judged at start against the longest token lifetime of
   * the issuers it speaks for; `null` before the check. A topic too short keeps the verifier
   * from becoming ready (NOT_READY, reason `TOPIC_RETENTION_TOO_SHORT`).
   */
  readonly topicRetention: readonly TopicRetentionVerdict[] | null;
  /** Records not yet applied, per partition, keyed `topic/partition`. */
  readonly lagByPartition: Readonly<Record<string, number>>;
  /** Sum of `lagByPartition`. */
  readonly totalLag: number;
  /** ms since the last successful fetch or heartbeat; `null` before the first. */
  readonly msSinceLastContact: number | null;
  /**
   * ms since the feed last delivered an event (startup replay included, other issuers' events
   * included); `null` before the first. Grows on a quiet topic too: read it with
   * `msSinceLastContact` — contact recent and this large means nothing was revoked lately.
   */
  readonly msSinceLastAppliedEvent: number | null;
  /**
   * Receipts: commits of the applied position to the feed's consumer group, and those that
   * failed (a verifier whose receipts fail looks like a laggard to operators); `null` for a
   * feed without receipts.
   */
  readonly receipts: { readonly committed: number; readonly failed: number } | null;
}
