import type { Logger } from 'pino';
import { createServiceLogger } from '@revocation-fabric/service-runtime';

/**
 * The service's pino logger (service-runtime's: credentials and tokens redacted wherever they
 * appear), each line naming the instance.
 *
 * @example
 * ```ts
 * const logger = createLogger('info', 'game-1');
 * ```
 */
export function createLogger(level: string, instance: string): Logger {
  return createServiceLogger({ service: 'game-service', level, base: { instance } });
}
