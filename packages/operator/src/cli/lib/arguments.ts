/**
 * The command line, read with `node:util`'s `parseArgs`: the command's name, its positionals,
 * and the global options with the command's own. Every mistake is a {@link UsageError} naming
 * the option.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

/** One option as `parseArgs` takes it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
}

/** Options by name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Values of the options given: a string, a boolean, or several strings. */
export type OptionValues = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  brokers: { type: 'string' },
  topic: { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
  'sasl-password': { type: 'string' },
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  json: { type: 'boolean' },
  progress: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/** A command line, read. */
export interface CommandLine {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
}

/**
 * `--wait` may stand alone (`--wait`) or carry seconds (`--wait=10`): `parseArgs` would take the
 * next word as its value, so a bare one becomes `--wait=` (the default).
 */
function normalize(argv: readonly string[], optionalValued: readonly string[]): string[] {
  return argv.map((arg) => (optionalValued.includes(arg) ? `${arg}=` : arg));
}

/**
 * Reads `argv` against `options`; `command` names the command in errors.
 *
 * @throws {@link UsageError} for an unknown option, a missing value, a value given to a flag.
 */
export function readCommandLine(
  argv: readonly string[],
  options: OptionSpecs,
  command?: string,
  optionalValued: readonly string[] = [],
): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args: normalize(argv, optionalValued),
      options: { ...options },
      allowPositionals: true,
      strict: true,
    });
    return { positionals, values: values as OptionValues };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs' messages name the option and say what to do; its hint about `--` is for
    // positionals starting with a dash, which a token or an id never does.
    throw new UsageError(message.replace(/\s*To specify a positional argument.*$/s, ''), command, {
      cause: error,
    });
  }
}

/** A string option's value, if given (the last one, if repeated). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value[value.length - 1];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean option: given or not. */
export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * A duration with its unit (`15m`, `900s`, `1h`, `2d`, `500ms`) in ms.
 *
 * @throws {@link UsageError} naming `option` when the text is not one.
 */
export function parseDuration(text: string, option: string, command?: string): number {
  const match = DURATION.exec(text.trim());
  const unit = match?.[2];
  const ms =
    match === null || unit === undefined
      ? Number.NaN
      : Number(match[1]) * (UNIT_MS[unit] ?? Number.NaN);
  if (!Number.isFinite(ms) || ms <= 0 || !Number.isSafeInteger(Math.round(ms))) {
    throw new UsageError(
      `--${option} must be a duration with its unit (500ms, 90s, 15m, 1h, 2d), got ${JSON.stringify(text)}`,
      command,
    );
  }
  return Math.round(ms);
}

/**
 * A whole number ≥ `min`.
 *
 * @throws {@link UsageError} naming `option`.
 */
export function parseInteger(text: string, option: string, min: number, command?: string): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `--${option} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return value;
}

/** An event's place in the topic. */
export interface TopicPosition {
  readonly partition: number;
  readonly offset: number;
}

/**
 * `<partition>:<offset>`, as `tail` and `inspect` print them.
 *
 * @throws {@link UsageError} naming `option`.
 */
export function parsePosition(text: string, option: string, command?: string): TopicPosition {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  const partition = Number(match?.[1]);
  const offset = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(partition) || !Number.isSafeInteger(offset)) {
    throw new UsageError(
      `--${option} must be <partition>:<offset>, e.g. 0:17, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return { partition, offset };
}
