import { pino } from 'pino';
import type { Logger } from 'pino';

/** Fields no service logs, wherever they appear: credentials and tokens. */
const ALWAYS_REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.password',
  '*.authorization',
];

/** Options of {@link createServiceLogger}. */
export interface ServiceLoggerOptions {
  /** `service` in every line. */
  readonly service: string;
  readonly level: string;
  /** More fields in every line (`instance`). */
  readonly base?: Readonly<Record<string, string>> | undefined;
  /** More paths to redact, pino's syntax (`*.clientSecret`). */
  readonly redact?: readonly string[] | undefined;
}

/**
 * A service's pino logger. Credentials never reach the logs: authorization headers, cookies and
 * any password, token or authorization field are redacted wherever they appear, plus the
 * service's own paths.
 *
 * @example
 * ```ts
 * const logger = createServiceLogger({ service: 'game-service', level: 'info', base: { instance: 'game-1' } });
 * ```
 */
export function createServiceLogger(options: ServiceLoggerOptions): Logger {
  return pino({
    level: options.level,
    base: { service: options.service, ...options.base },
    redact: { paths: [...ALWAYS_REDACTED, ...(options.redact ?? [])], censor: '[redacted]' },
  });
}
