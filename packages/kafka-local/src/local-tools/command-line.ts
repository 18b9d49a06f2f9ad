/**
 * The command-line shell `pnpm kafka` and `pnpm keycloak` share: strict option parsing, the
 * port option, and exit codes (2 for a wrong command line, 1 for a failure).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong command line: reported with a pointer to the usage text and exit code 2. */
export class UsageError extends Error {}

/**
 * Parses one command's options strictly. `positional` names the one argument the command takes
 * (e.g. `node id`); without it the command takes none.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommand(rest, { name: { type: 'string' } }, 'node id');
 * ```
 */
export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  positional?: string,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positional !== undefined, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== (positional === undefined ? 0 : 1)) {
    throw new UsageError(
      positional === undefined
        ? `unexpected argument '${parsed.positionals[0]}'`
        : `expected exactly one ${positional}, got ${parsed.positionals.length} arguments`,
    );
  }
  return parsed;
}

/** The `--port` option: `fallback` when absent, else an unprivileged port with room above it. */
export function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1024 || parsed > 65_530) {
    throw new UsageError(`--port must be an integer from 1024 to 65530, got ${value}`);
  }
  return parsed;
}

/**
 * The answer to a command no case of the tool took: its usage text for none, `help`, `--help`
 * or `-h`; anything else is a {@link UsageError}.
 */
export function helpOrUnknown(command: string | undefined, usage: string): void {
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage);
    return;
  }
  throw new UsageError(`unknown command '${command}'`);
}

/** How {@link runCommandLine} reports. */
export interface CommandLineOptions {
  /** Prefix of every message, e.g. `kafka-local`. */
  readonly name: string;
  /** The command that prints the usage, e.g. `pnpm kafka help`. */
  readonly help: string;
  /**
   * The exit code of one of the tool's own errors, whose message says all (no stack is printed);
   * `undefined` for any other error.
   */
  readonly toolErrorExit: (error: unknown) => 1 | 2 | undefined;
}

/**
 * Runs `main` and sets the exit code: 0; 2 for a {@link UsageError} (or a `TypeError` from an
 * option check); the tool's own for its errors; 1, with the stack, for anything else.
 *
 * @example
 * ```ts
 * runCommandLine(() => main(process.argv.slice(2)), {
 *   name: 'keycloak-local',
 *   help: 'pnpm keycloak help',
 *   toolErrorExit: (error) => (error instanceof KeycloakLocalError ? 1 : undefined),
 * });
 * ```
 */
export function runCommandLine(main: () => Promise<void>, options: CommandLineOptions): void {
  main().then(
    () => {
      process.exitCode = 0;
    },
    (error: unknown) => {
      const toolExit = options.toolErrorExit(error);
      if (error instanceof UsageError || error instanceof TypeError) {
        console.error(`${options.name}: ${error.message}\n(run '${options.help}' for usage)`);
        process.exitCode = 2;
      } else if (toolExit !== undefined) {
        console.error(`${options.name}: ${(error as Error).message}`);
        process.exitCode = toolExit;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
}
