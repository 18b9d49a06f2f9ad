import { pino } from 'pino';
import type { Logger } from 'pino';

/**
 * The service's pino logger. Credentials never reach the logs: authorization headers, cookies
 * and any password or token field are redacted wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'user-service' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.refreshToken',
        '*.accessToken',
      ],
      censor: '[redacted]',
    },
  });
}
