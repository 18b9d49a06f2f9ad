/**
 * What a run of the CLI reads and writes: its streams, environment and clock, handed in so a
 * test runs the CLI in-process with captured output (see `runCli`).
 */

/** A stream the CLI writes to (`process.stdout` fits). */
export interface CliOutput {
  write(text: string): unknown;
  /** A terminal: progress is shown, tables may be aligned for a human. */
  readonly isTTY?: boolean | undefined;
}

/** Where the CLI reads a token from (`-`) or a confirmation (`process.stdin` fits). */
export interface CliInput extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean | undefined;
}

/** The world of one run. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: CliInput;
  /** Environment variables (`REVOCATION_FABRIC_*`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Ends a command that runs until stopped (`tail`): Ctrl-C. Default: never. */
  readonly signal?: AbortSignal | undefined;
  /** The clock, ms since the epoch. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Asks the operator a question on the terminal and answers the line typed (brake
   * confirmations). Default: `node:readline/promises` on stdin and stderr.
   */
  readonly ask?: ((question: string) => Promise<string>) | undefined;
}
