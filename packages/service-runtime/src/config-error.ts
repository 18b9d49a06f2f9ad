/** One environment variable at fault and what is wrong with it. */
export interface ConfigProblem {
  /** The variable's name, e.g. `PORT`. */
  readonly variable: string;
  /** What is wrong, e.g. `must be an integer (got "eighty")`; never a secret's value. */
  readonly message: string;
}

/**
 * The configuration is invalid. Thrown once, at start, naming every bad environment variable,
 * so an operator fixes them all in one round instead of one per restart.
 *
 * @example
 * ```ts
 * throw new ConfigError([{ variable: 'ISSUER', message: 'is required when NODE_ENV=production' }]);
 * // message: invalid configuration: ISSUER: is required when NODE_ENV=production
 * ```
 */
export class ConfigError extends Error {
  /** The offending variables and what is wrong with each. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
