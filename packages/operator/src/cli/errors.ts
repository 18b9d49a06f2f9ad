/**
 * The CLI's errors: a stable `code` to switch on, a message for the operator, and the exit code
 * it ends the run with. A user's mistake is one of these and prints as one line, never a stack.
 */
import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions } from '@revocation-fabric/protocol';
import { EXIT } from './exit-codes.js';
import type { ExitCode } from './exit-codes.js';

/** Every code a {@link CliError} carries. */
export type CliErrorCode =
  | 'USAGE'
  | 'NOT_CONFIRMED'
  | 'TOKEN_MALFORMED'
  | 'API_UNREACHABLE'
  | 'API_REFUSED'
  | 'API_ANSWER_INVALID'
  | 'KAFKA_UNREACHABLE'
  | 'KAFKA_FAILED';

/** Base class of the CLI's errors. */
export abstract class CliError<Code extends CliErrorCode = CliErrorCode> extends CodedError<Code> {
  /** The exit code the run ends with. */
  abstract readonly exitCode: ExitCode;
}

/** The command line is wrong: an unknown option, a missing argument, a bad value (exit 2). */
export class UsageError extends CliError<'USAGE'> {
  override readonly code = 'USAGE';
  override readonly exitCode = EXIT.usage;
  /** The command whose usage to show, if known. */
  readonly command: string | undefined;
  constructor(message: string, command?: string, options: CodedErrorOptions = {}) {
    super(message, options);
    this.command = command;
  }
}

/** A brake was not confirmed: nothing was revoked (exit 1). */
export class NotConfirmedError extends CliError<'NOT_CONFIRMED'> {
  override readonly code = 'NOT_CONFIRMED';
  override readonly exitCode = EXIT.failure;
  constructor(message: string) {
    super(message);
  }
}

/** The token given is not a JWS compact serialization with JSON claims (exit 2). */
export class TokenMalformedError extends CliError<'TOKEN_MALFORMED'> {
  override readonly code = 'TOKEN_MALFORMED';
  override readonly exitCode = EXIT.usage;
  constructor(message: string, options: CodedErrorOptions = {}) {
    super(message, options);
  }
}

/** The user-service did not answer (exit 1). */
export class ApiUnreachableError extends CliError<'API_UNREACHABLE'> {
  override readonly code = 'API_UNREACHABLE';
  override readonly exitCode = EXIT.failure;
  constructor(message: string, options: CodedErrorOptions = {}) {
    super(message, options);
  }
}

/** The user-service answered with an error body (exit 1). */
export class ApiRefusedError extends CliError<'API_REFUSED'> {
  override readonly code = 'API_REFUSED';
  override readonly exitCode = EXIT.failure;
  /** The HTTP status. */
  readonly status: number;
  /** The error body's code (`NOT_FOUND`, `FORBIDDEN`, …), or `HTTP_<status>` without a body. */
  readonly apiCode: string;
  constructor(message: string, status: number, apiCode: string) {
    super(message);
    this.status = status;
    this.apiCode = apiCode;
  }
}

/** The user-service answered something this CLI cannot read (exit 1). */
export class ApiAnswerInvalidError extends CliError<'API_ANSWER_INVALID'> {
  override readonly code = 'API_ANSWER_INVALID';
  override readonly exitCode = EXIT.failure;
  constructor(message: string) {
    super(message);
  }
}

/** The brokers did not answer, or refused the operator's principal (exit 1). */
export class KafkaFailedError extends CliError<'KAFKA_UNREACHABLE' | 'KAFKA_FAILED'> {
  override readonly code: 'KAFKA_UNREACHABLE' | 'KAFKA_FAILED';
  override readonly exitCode = EXIT.failure;
  constructor(
    code: 'KAFKA_UNREACHABLE' | 'KAFKA_FAILED',
    message: string,
    options: CodedErrorOptions = {},
  ) {
    super(message, options);
    this.code = code;
  }
}
