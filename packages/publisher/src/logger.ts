/**
 * The logger the publisher writes to: the four levels of pino (or any logger of the same shape),
 * injected, because a library never prints on its own.
 */

/** A structured logger; a pino `Logger` fits as it is. */
export interface PublisherLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The default: logs nothing. */
export const silentLogger: PublisherLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
