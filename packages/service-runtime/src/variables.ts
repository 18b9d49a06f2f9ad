/**
 * Schemas of the environment variables every service of the fabric reads the same way: whole
 * numbers, URLs, lists, the log level, the brokers and the revocation topic, and the outbox
 * relay's timings. One definition, so `KAFKA_BROKERS=…` means the same to every service and a
 * bad value is reported in the same words.
 */
import { z } from 'zod';

/**
 * A whole number from `min` to `max`, written in decimal.
 *
 * @example
 * ```ts
 * const variables = { PORT: integerVariable(0, 65535).default(3000) };
 * ```
 */
export function integerVariable(min: number, max: number) {
  return z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** An absolute `http:` or `https:` URL. */
export const httpUrlVariable = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A comma-separated list; blanks around items and empty items are dropped. */
export const listVariable = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/** pino's levels; default `info`. */
export const logLevelVariable = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/**
 * The revocation gateway's topic. Each producer writes a topic of its own, writable by its Kafka
 * principal only, so a verifier can tell who stated a rule: the user-service writes
 * `auth.revocations`, the gateway this one (see docs/decisions.md, issuer authority).
 */
export const GATEWAY_REVOCATION_TOPIC = 'auth.revocations.gateway';

/**
 * `KAFKA_BROKERS` (required, comma-separated `host:port`), `KAFKA_CLIENT_ID` (default the
 * service's name) and `REVOCATION_TOPIC` (default `defaultTopic`, `auth.revocations`).
 *
 * @example
 * ```ts
 * const variables = { ...revocationTopicVariables('gateway'), ...kafkaSecurityVariables };
 * ```
 */
export function revocationTopicVariables(clientId: string, defaultTopic = 'auth.revocations') {
  return {
    KAFKA_BROKERS: z
      .string({ error: 'is required (comma-separated host:port list)' })
      .pipe(listVariable)
      .pipe(
        z
          .array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port'))
          .min(1, 'must list at least one broker'),
      ),
    KAFKA_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 of A-Z a-z 0-9 . _ -')
      .default(clientId),
    REVOCATION_TOPIC: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, 'must be a valid Kafka topic name')
      .default(defaultTopic),
  };
}

/**
 * What a publishing service needs beyond the topic's name: how to create the topic if it is
 * missing (`REVOCATION_TOPIC_PARTITIONS` 6, `REVOCATION_TOPIC_REPLICATION_FACTOR` 1) and the
 * outbox relay's timings (`OUTBOX_POLL_INTERVAL_MS` 500, `OUTBOX_MAX_RETRY_DELAY_MS` 30000,
 * `OUTBOX_RETENTION_MS` 7 days).
 */
export const outboxRelayVariables = {
  REVOCATION_TOPIC_PARTITIONS: integerVariable(3, 1000).default(6),
  REVOCATION_TOPIC_REPLICATION_FACTOR: integerVariable(1, 10).default(1),
  OUTBOX_POLL_INTERVAL_MS: integerVariable(10, 60_000).default(500),
  OUTBOX_MAX_RETRY_DELAY_MS: integerVariable(100, 600_000).default(30_000),
  OUTBOX_RETENTION_MS: integerVariable(60_000, 365 * 86_400_000).default(7 * 86_400_000),
};
