/**
 * The logging interface a verifier writes to: the subset of pino's API it uses, so a pino
 * logger (or a child of one) can be passed as is. Libraries never print on their own.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * createVerifier({ ...options, logger: pino().child({ component: 'verifier' }) });
 * ```
 */
export interface VerifierLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

const ignore = (): void => {};

/** The logger used when none is given: it drops everything. */
export const silentLogger: VerifierLogger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
});
