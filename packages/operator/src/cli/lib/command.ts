/** What a command is to the dispatcher: its name, help, options and run. */
import type { ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { OptionSpecs, OptionValues } from './arguments.js';
import type { Output } from './output.js';

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIo;
  readonly out: Output;
  /** The words after the command's name. */
  readonly positionals: readonly string[];
  /** Global and command options given. */
  readonly values: OptionValues;
  readonly now: () => number;
}

/** One command of the CLI: one file under `commands/`. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The usage line(s) after `revocation-fabric `. */
  readonly usage: string;
  /** What it does, its own options and an example: the body of `--help`. */
  readonly help: string;
  /** Its options beside the global ones. */
  readonly options: OptionSpecs;
  /** String options that may also stand alone (`--wait` or `--wait=10`). */
  readonly optionalValued?: readonly string[] | undefined;
  run(context: CommandContext): Promise<ExitCode>;
}
