import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * The gateway's pino logger. Signals are bearer-like credentials of the provider: request
 * bodies are never logged, and authorization headers and secrets are redacted.
 *
 * @example
 * ```ts
 * const logger = createLogger('info');
 * ```
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'revocation-gateway' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.clientSecret',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
