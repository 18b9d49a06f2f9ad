import type { Logger } from 'pino';
import { createServiceLogger } from '@revocation-fabric/service-runtime';

/**
 * The gateway's pino logger (service-runtime's: authorization headers, cookies and tokens
 * redacted wherever they appear), plus the providers' client secrets. Signals are bearer-like
 * credentials of the provider: request bodies are never logged.
 *
 * @example
 * ```ts
 * const logger = createLogger('info');
 * ```
 */
export function createLogger(level: string): Logger {
  return createServiceLogger({ service: 'revocation-gateway', level, redact: ['*.clientSecret'] });
}
