/**
 * The `revocation-fabric` command line: finds the command, reads its options, runs it, and
 * turns every failure into a one-line message and an exit code (never a stack trace for a
 * user's mistake).
 */
import { checkCommand } from './commands/check.js';
import { inspectCommand } from './commands/inspect.js';
import { revokeCommand } from './commands/revoke.js';
import { statusCommand } from './commands/status.js';
import { tailCommand } from './commands/tail.js';
import { CliError, UsageError } from './errors.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { GLOBAL_OPTIONS, flag, readCommandLine } from './lib/arguments.js';
import type { OptionSpecs } from './lib/arguments.js';
import type { Command } from './lib/command.js';
import { CONNECTION_ENV } from './lib/connection.js';
import { createOutput } from './lib/output.js';

/** The name the CLI is installed under. */
export const CLI_NAME = 'revocation-fabric';

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  revokeCommand,
  inspectCommand,
  tailCommand,
  statusCommand,
  checkCommand,
];

const GLOBAL_HELP = `Global options:
  --brokers <h:p,…>         Kafka brokers (env ${CONNECTION_ENV.brokers})
  --topic <name>            the revocation topic (env ${CONNECTION_ENV.topic}; default auth.revocations)
  --sasl-mechanism <m>      plain, scram-sha-256 or scram-sha-512 (env ${CONNECTION_ENV.saslMechanism})
  --sasl-username <name>    (env ${CONNECTION_ENV.saslUsername})
  --sasl-password <pw>      (env ${CONNECTION_ENV.saslPassword}; prefer the variable)
  --tls                     TLS with the system's CAs (env ${CONNECTION_ENV.tls}=1)
  --tls-ca <file>           TLS trusting this CA (PEM) (env ${CONNECTION_ENV.tlsCa})
  --json                    one JSON document on stdout (NDJSON for tail)
  --progress                progress on stderr even when it is not a terminal
  -h, --help                this help; <command> --help for a command's`;

/** The general help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `${CLI_NAME} — the operator's view of a revocation fabric

Usage: ${CLI_NAME} <command> [arguments] [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

${GLOBAL_HELP}

${EXIT_CODES_HELP}
`;
}

/** A command's help. */
export function commandHelp(command: Command): string {
  return `Usage: ${CLI_NAME} ${command.usage}

${command.help}

${GLOBAL_HELP}

${EXIT_CODES_HELP}
`;
}

function allOptions(): OptionSpecs {
  return Object.assign(
    {},
    GLOBAL_OPTIONS,
    ...COMMANDS.map((command) => command.options),
  ) as OptionSpecs;
}

function usageHint(command: string | undefined): string {
  return command === undefined ? `see ${CLI_NAME} --help` : `see ${CLI_NAME} ${command} --help`;
}

/**
 * Runs the CLI with `argv` (the words after the program's name) in `io`; resolves to the exit
 * code. Never throws for anything a user can cause: messages go to `io.stderr`.
 *
 * @example
 * ```ts
 * const code = await runCli(['status', '--json'], { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
 * process.exitCode = code;
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let commandName: string | undefined;
  try {
    // First pass: every option any command knows, to find the command's name wherever the
    // options stand; the second holds the command to its own.
    const optionalValued = [
      ...new Set(COMMANDS.flatMap((command) => command.optionalValued ?? [])),
    ];
    const first = readCommandLine(argv, allOptions(), undefined, optionalValued);
    commandName = first.positionals[0] === 'help' ? first.positionals[1] : first.positionals[0];
    const wantsHelp = flag(first.values, 'help') || first.positionals[0] === 'help';
    if (commandName === undefined) {
      if (wantsHelp) {
        io.stdout.write(mainHelp());
        return EXIT.ok;
      }
      io.stderr.write(`${CLI_NAME}: which command?\n\n${mainHelp()}`);
      return EXIT.usage;
    }
    const command = COMMANDS.find((candidate) => candidate.name === commandName);
    if (command === undefined) {
      const name = commandName;
      commandName = undefined;
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}: one of ${COMMANDS.map((c) => c.name).join(', ')}`,
      );
    }
    if (wantsHelp) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    const line = readCommandLine(
      argv,
      { ...GLOBAL_OPTIONS, ...command.options },
      command.name,
      command.optionalValued,
    );
    return await command.run({
      io,
      out: createOutput(io, flag(line.values, 'json')),
      positionals: line.positionals.slice(1),
      values: line.values,
      now: io.now ?? Date.now,
    });
  } catch (error) {
    return report(error, io, commandName);
  }
}

function report(error: unknown, io: CliIo, command: string | undefined): ExitCode {
  if (error instanceof UsageError) {
    io.stderr.write(`${CLI_NAME}: ${error.message}\n${usageHint(error.command ?? command)}\n`);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    io.stderr.write(`${CLI_NAME}: ${error.message}\n`);
    return error.exitCode;
  }
  // Not a user's mistake: a bug or something unforeseen. The stack only on request.
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${CLI_NAME}: ${message}\n`);
  if (
    /^(1|true)$/.test(io.env['REVOCATION_FABRIC_DEBUG'] ?? '') &&
    error instanceof Error &&
    error.stack !== undefined
  )
    io.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}
