import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions } from '@revocation-fabric/protocol';

/** One environment variable at fault and what is wrong with it. */
export interface ConfigProblem {
  /** The variable's name, e.g. `PORT`. */
  readonly variable: string;
  /** What is wrong, e.g. `must be an integer (got "eighty")`; never a secret's value. */
  readonly message: string;
}

/** Options of {@link ConfigError}. */
export interface ConfigErrorOptions extends CodedErrorOptions {
  /** Every offending variable; the default message names them all. */
  readonly problems: readonly ConfigProblem[];
}

/**
 * The configuration is invalid. Thrown once, at start, naming every bad environment variable,
 * so an operator fixes them all in one round instead of one per restart.
 *
 * @example
 * ```ts
 * throw new ConfigError({
 *   problems: [{ variable: 'ISSUER', message: 'is required when NODE_ENV=production' }],
 * });
 * // message: invalid configuration: ISSUER: is required when NODE_ENV=production
 * ```
 */
export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  override readonly code = 'CONFIG_INVALID';
  /** The offending variables and what is wrong with each. */
  readonly problems: readonly ConfigProblem[];

  constructor(options: ConfigErrorOptions) {
    const { problems, ...rest } = options;
    super(
      rest.message ??
        `invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`,
      rest,
    );
    this.problems = problems;
  }
}
