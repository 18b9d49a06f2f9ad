/** What a configuration loader reports about one variable. */
export interface ReportedConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** The error class a configuration loader throws, carrying every problem at once. */
export type ConfigErrorClass = abstract new (...args: never[]) => {
  readonly problems: readonly ReportedConfigProblem[];
};

/**
 * The problems `load` reports by throwing an `errorClass`; none when it returns. Any other
 * error propagates, so a crash is never mistaken for a reported problem.
 *
 * @example
 * ```ts
 * expect(configProblems(ConfigError, () => loadConfig({ PORT: 'x' }))).toEqual([
 *   { variable: 'PORT', message: 'must be a port number' },
 * ]);
 * ```
 */
export function configProblems(
  errorClass: ConfigErrorClass,
  load: () => unknown,
): ReportedConfigProblem[] {
  try {
    load();
  } catch (error) {
    if (error instanceof errorClass) return [...error.problems];
    throw error;
  }
  return [];
}

/**
 * {@link configProblems} as `VARIABLE: message` lines, the form an operator reads.
 *
 * @example
 * ```ts
 * expect(configProblemLines(ConfigError, () => loadConfig({ PORT: 'x' }))).toEqual([
 *   'PORT: must be a port number',
 * ]);
 * ```
 */
export function configProblemLines(errorClass: ConfigErrorClass, load: () => unknown): string[] {
  return configProblems(errorClass, load).map(({ variable, message }) => `${variable}: ${message}`);
}
