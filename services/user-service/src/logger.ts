import type { Logger } from 'pino';
import { createServiceLogger } from '@revocation-fabric/service-runtime';

/**
 * The service's pino logger (service-runtime's: authorization headers, cookies, passwords and
 * tokens redacted wherever they appear), plus the password-change fields.
 */
export function createLogger(level: string): Logger {
  return createServiceLogger({
    service: 'user-service',
    level,
    redact: ['*.currentPassword', '*.newPassword'],
  });
}
