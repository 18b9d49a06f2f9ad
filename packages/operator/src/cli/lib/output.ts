/**
 * The output layer: human text by default, one JSON document with `--json` (NDJSON for
 * `tail`), notes and progress on stderr so stdout stays the answer alone.
 */
import type { CliIo } from '../io.js';
import { count } from './text.js';

/** How a command writes its answer. */
export interface Output {
  /** `--json` was given. */
  readonly json: boolean;
  /** A line of the human answer (ignored with `--json`). */
  line(text?: string): void;
  /** The one JSON document of the answer (with `--json`). */
  document(value: unknown): void;
  /** One NDJSON line (with `--json`, for streams). */
  record(value: unknown): void;
  /** A note for the operator on stderr (warnings, what is going on), in either mode. */
  note(text: string): void;
}

/** The output of one run. */
export function createOutput(io: CliIo, json: boolean): Output {
  return {
    json,
    line: (text = '') => {
      if (!json) io.stdout.write(`${text}\n`);
    },
    document: (value) => {
      if (json) io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    record: (value) => {
      if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
    },
    note: (text) => {
      io.stderr.write(`${text}\n`);
    },
  };
}

/** Reports how far a slow read got: "read 12,345 of 40,000 records…". */
export interface Progress {
  /** One more record read. */
  tick(): void;
  /** The read is over: the last count stays on screen (a terminal) or is printed once more. */
  done(): void;
}

/** Least time between two progress lines when stderr is not a terminal, ms. */
const PLAIN_PROGRESS_INTERVAL_MS = 1000;
/** Least time between two redraws on a terminal, ms. */
const TTY_PROGRESS_INTERVAL_MS = 100;

/**
 * Progress of reading `total` records on stderr, shown when stderr is a terminal (redrawn in
 * place) or when asked (`--progress`: a line at most once a second); silent otherwise.
 */
export function createProgress(
  io: CliIo,
  options: { readonly total: number; readonly force: boolean; readonly what?: string },
): Progress {
  const tty = io.stderr.isTTY === true;
  if (!tty && !options.force) return { tick: () => {}, done: () => {} };
  const now = io.now ?? Date.now;
  const what = options.what ?? 'records';
  let read = 0;
  let shownAt = -Infinity;
  const text = () => `read ${count(read)} of ${count(options.total)} ${what}…`;
  const show = (final: boolean) => {
    if (tty) io.stderr.write(`\r\x1b[K${text()}${final ? '\n' : ''}`);
    else io.stderr.write(`${text()}\n`);
    shownAt = now();
  };
  show(false);
  return {
    tick: () => {
      read += 1;
      if (now() - shownAt >= (tty ? TTY_PROGRESS_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS))
        show(false);
    },
    done: () => show(true),
  };
}
