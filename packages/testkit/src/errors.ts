import { CodedError } from '@revocation-fabric/protocol';

/** Stable codes of the testkit's own failures. */
export type TestkitErrorCode = 'WAIT_FOR_TIMEOUT' | 'BROKERS_UNREACHABLE' | 'KAFKA_SOURCE_MISMATCH';

/** Base class of every error the testkit throws; switch on `code`. */
export abstract class TestkitError extends CodedError<TestkitErrorCode> {}

/** {@link waitFor}'s condition did not hold in time. The last failure, if any, is the `cause`. */
export class WaitForTimeoutError extends TestkitError {
  override readonly code = 'WAIT_FOR_TIMEOUT';
  constructor(
    /** What was being waited for. */
    readonly description: string,
    /** How long, in milliseconds. */
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(
      `timed out after ${timeoutMs} ms waiting for ${description}${options?.cause instanceof Error ? `: ${options.cause.message}` : ''}`,
      options,
    );
  }
}

/** The chosen brokers did not answer a metadata request. */
export class BrokersUnreachableError extends TestkitError {
  override readonly code = 'BROKERS_UNREACHABLE';
  constructor(
    /** The brokers tried. */
    readonly brokers: readonly string[],
    /** Where they came from, e.g. `KAFKA_BROKERS`. */
    readonly origin: string,
    options?: ErrorOptions,
  ) {
    super(
      `Kafka at ${brokers.join(',')} (from ${origin}) did not answer a metadata request${options?.cause instanceof Error ? `: ${options.cause.message}` : ''}`,
      options,
    );
  }
}

/**
 * `REQUIRE_KAFKA_SOURCE` names a broker source the testkit could not use, e.g.
 * `testcontainers` with no Docker engine answering: the run fails instead of silently testing
 * against another broker than the one it was meant to prove.
 */
export class KafkaSourceMismatchError extends TestkitError {
  override readonly code = 'KAFKA_SOURCE_MISMATCH';
  constructor(
    /** The source `REQUIRE_KAFKA_SOURCE` asked for. */
    readonly required: string,
    /** Why it could not be used. */
    readonly reason: string,
  ) {
    super(`REQUIRE_KAFKA_SOURCE=${required}, but ${reason}`);
  }
}
