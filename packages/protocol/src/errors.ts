import { CodedError } from './coded-error.js';
import type { InsufficientTopicRetention } from './topic-retention.js';

/** Stable codes of every way an event can be refused: what a reader counts as poison. */
export type EventErrorCode =
  | 'EVENT_TOO_LARGE'
  | 'EVENT_NOT_JSON'
  | 'EVENT_VERSION_UNSUPPORTED'
  | 'EVENT_INVALID'
  | 'CUTOFF_IN_FUTURE';

/** Stable codes of every error this package throws: a refused event, or an unsafe topic. */
export type ProtocolErrorCode = EventErrorCode | 'TOPIC_RETENTION_TOO_SHORT';

/**
 * Base class of every error this package throws for a bad event or an unsafe revocation topic.
 * Switch on `code`, which is stable across releases; `message` is for humans.
 */
export abstract class ProtocolError extends CodedError<ProtocolErrorCode> {}

/** The encoded event is larger than the size limit. */
export class EventTooLargeError extends ProtocolError {
  override readonly code = 'EVENT_TOO_LARGE';
  constructor(
    /** Size of the rejected payload in bytes. */
    readonly size: number,
    /** The limit in force, in bytes. */
    readonly limit: number,
  ) {
    super(`revocation event is ${size} bytes, over the ${limit}-byte limit`);
  }
}

/** The payload is not UTF-8 JSON. */
export class EventNotJsonError extends ProtocolError {
  override readonly code = 'EVENT_NOT_JSON';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The payload's schema version `v` is not one this reader understands. */
export class EventVersionError extends ProtocolError {
  override readonly code = 'EVENT_VERSION_UNSUPPORTED';
  constructor(
    /** The version found, or `undefined` when the field was missing. */
    readonly version: unknown,
  ) {
    super(`unsupported revocation event version: ${JSON.stringify(version) ?? 'missing'}`);
  }
}

/** The payload is JSON of a known version but breaks the schema. */
export class EventInvalidError extends ProtocolError {
  override readonly code = 'EVENT_INVALID';
  constructor(
    /** One line per problem: `path: what is wrong`. */
    readonly issues: readonly string[],
  ) {
    super(`invalid revocation event: ${issues.join('; ')}`);
  }
}

/**
 * A cutoff lies further in the future than the clock tolerance allows. Such a rule would lock
 * its target out until the cutoff passes, so it is refused.
 */
export class CutoffInFutureError extends ProtocolError {
  override readonly code = 'CUTOFF_IN_FUTURE';
  constructor(
    /** The refused cutoff, ms since the epoch. */
    readonly cutoff: number,
    /** The latest cutoff that would have been accepted, ms since the epoch. */
    readonly latestAllowed: number,
  ) {
    super(
      `cutoff ${new Date(cutoff).toISOString()} is after the latest allowed ${new Date(latestAllowed).toISOString()}`,
    );
  }
}

function duration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/**
 * The revocation topic may delete events before the rules they state may be forgotten: a
 * verifier that replays it (every restart) would miss rules for tokens that are still valid.
 * Thrown by `ensureRevocationTopic`; the fields say what is in force and what is required.
 *
 * @example
 * ```ts
 * if (err instanceof TopicRetentionTooShortError) logger.fatal({ fix: err.verdict.fix }, err.message);
 * ```
 */
export class TopicRetentionTooShortError extends ProtocolError {
  override readonly code = 'TOPIC_RETENTION_TOO_SHORT';
  /** The topic at fault. */
  readonly topic: string;
  /** Everything the check read and concluded, with the command that fixes it. */
  readonly verdict: InsufficientTopicRetention;
  constructor(verdict: InsufficientTopicRetention) {
    const required = `at least ${verdict.requiredRetentionMs} ms (${duration(verdict.requiredRetentionMs)}: the longest token lifetime + 2 × clock tolerance)`;
    const found =
      verdict.setting === 'retention.ms'
        ? `retention.ms=${verdict.retentionMs} (${duration(verdict.retentionMs)})`
        : `retention.bytes=${verdict.retentionBytes}, which deletes by size however young the events are`;
    super(
      `revocation topic ${verdict.topic} (cleanup.policy=${verdict.cleanupPolicy}) has ${found}; ` +
        `every event must stay ${required}, or a restarting verifier accepts revoked tokens. ` +
        `Fix: ${verdict.fix}`,
    );
    this.topic = verdict.topic;
    this.verdict = verdict;
  }
}
