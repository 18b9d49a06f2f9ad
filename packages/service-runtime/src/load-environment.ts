import type { ZodType, output } from 'zod';
import { ConfigError } from './config-error.js';
import type { ConfigProblem } from './config-error.js';

/** The environment variables a configuration is read from; `process.env` fits. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One zod schema per variable, keyed by the variable's name, so each problem is reported under
 * its own name. A schema receives the raw string, or `undefined` when the variable is unset.
 */
export type VariableTable = Readonly<Record<string, ZodType>>;

/** The parsed value of every variable of a {@link VariableTable}. */
export type EnvironmentValues<Table extends VariableTable> = {
  readonly [Name in keyof Table]: output<Table[Name]>;
};

/** Options of {@link loadEnvironment}. */
export interface LoadEnvironmentOptions {
  /**
   * Variables whose name matches are secrets: a problem with one says `(got "<redacted>")`
   * instead of echoing its value into the logs. Default: none.
   */
  readonly secrets?: RegExp;
}

/**
 * Parses every variable of `variables` from `env`. An empty variable counts as unset, as shells
 * and compose files make "set to nothing" the usual way to clear one.
 *
 * @example
 * ```ts
 * const values = loadEnvironment(
 *   { PORT: z.string().regex(/^\d+$/).transform(Number).default(3000), DATABASE_URL: z.url() },
 *   process.env,
 *   { secrets: /DATABASE_URL/ },
 * );
 * values.PORT; // number
 * ```
 * @throws {@link ConfigError} naming every variable that failed its schema, not just the first.
 */
export function loadEnvironment<Table extends VariableTable>(
  variables: Table,
  env: Environment,
  options: LoadEnvironmentOptions = {},
): EnvironmentValues<Table> {
  const problems: ConfigProblem[] = [];
  const values: Partial<Record<string, unknown>> = {};
  for (const [name, schema] of Object.entries(variables)) {
    const raw = env[name];
    const result = schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) {
      values[name] = result.data;
      continue;
    }
    const message = result.error.issues.map((issue) => issue.message).join(', ');
    if (raw === undefined) {
      problems.push({ variable: name, message });
    } else {
      // search(), unlike test(), ignores the lastIndex a /g flag would carry between calls.
      const secret = options.secrets !== undefined && name.search(options.secrets) !== -1;
      const shown = JSON.stringify(secret ? '<redacted>' : raw);
      problems.push({ variable: name, message: `${message} (got ${shown})` });
    }
  }
  if (problems.length > 0) throw new ConfigError({ problems });
  // Every variable of the table parsed, so every key holds its schema's output.
  return values as EnvironmentValues<Table>;
}
