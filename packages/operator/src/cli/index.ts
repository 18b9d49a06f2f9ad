export { runCli, CLI_NAME, mainHelp } from './run-cli.js';
export type { CliInput, CliIo, CliOutput } from './io.js';
export { EXIT } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export {
  ApiAnswerInvalidError,
  ApiRefusedError,
  ApiUnreachableError,
  CliError,
  KafkaFailedError,
  NotConfirmedError,
  TokenMalformedError,
  UsageError,
} from './errors.js';
export type { CliErrorCode } from './errors.js';
