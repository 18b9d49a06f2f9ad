/**
 * The logger the kit writes to: pino's shape (a pino `Logger` fits as it is), injected, because
 * a library never prints on its own.
 */
import type { PublisherLogger } from '@revocation-fabric/publisher';

/** A structured logger with children, as the services' pino loggers are. */
export interface IssuerLogger extends PublisherLogger {
  child(bindings: Record<string, unknown>): IssuerLogger;
}
