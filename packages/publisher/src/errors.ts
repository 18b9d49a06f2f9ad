/**
 * The publisher's errors: one subclass per failure, each with a stable UPPER_SNAKE code, so a
 * caller can `switch (error.code)`. Failures of the Kafka client arrive wrapped (as `cause`), so
 * no client error type leaks into what callers handle.
 */
import { inspect } from 'node:util';
import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions } from '@revocation-fabric/protocol';

/** Every code a publisher error carries. */
export type PublisherErrorCode = 'PUBLISH_FAILED' | 'TOPIC_SETUP_FAILED';

/** Base class of the publisher's errors. */
export abstract class PublisherError<
  Code extends PublisherErrorCode = PublisherErrorCode,
> extends CodedError<Code> {}

/** Options of {@link PublishFailedError}. */
export interface PublishFailedErrorOptions extends CodedErrorOptions {
  /** How many events the failed batch held. */
  readonly events: number;
  /** The topic the batch was meant for. */
  readonly topic: string;
}

/**
 * A batch was not acknowledged by the broker; the relay keeps its events and tries again.
 *
 * @example
 * ```ts
 * throw new PublishFailedError({ events: 3, topic: 'auth.revocations', cause: error });
 * ```
 */
export class PublishFailedError extends PublisherError<'PUBLISH_FAILED'> {
  override readonly code = 'PUBLISH_FAILED';
  readonly events: number;
  readonly topic: string;

  constructor(options: PublishFailedErrorOptions) {
    super(
      options.message ??
        `publishing ${options.events} revocation event(s) to ${options.topic} failed: ${causeText(options.cause)}`,
      options,
    );
    this.events = options.events;
    this.topic = options.topic;
  }
}

/** Options of {@link TopicSetupError}. */
export interface TopicSetupErrorOptions extends CodedErrorOptions {
  /** The topic that could not be checked or created. */
  readonly topic: string;
}

/**
 * The revocation topic could not be checked or created when the publisher connected.
 *
 * @example
 * ```ts
 * throw new TopicSetupError({ topic: 'auth.revocations', cause: error });
 * ```
 */
export class TopicSetupError extends PublisherError<'TOPIC_SETUP_FAILED'> {
  override readonly code = 'TOPIC_SETUP_FAILED';
  readonly topic: string;

  constructor(options: TopicSetupErrorOptions) {
    super(
      options.message ??
        `checking or creating the revocation topic ${options.topic} failed: ${causeText(options.cause)}`,
      options,
    );
    this.topic = options.topic;
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? 'unknown error' : inspect(cause);
}
