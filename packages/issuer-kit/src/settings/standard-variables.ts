/**
 * An issuer's write-path settings from the standard variables: where the database is
 * (`DATABASE_URL`, `DATABASE_POOL_MAX`, `SQLITE_PATH`), the revocation topic and broker
 * (`KAFKA_*`, `REVOCATION_TOPIC*`, service-runtime's tables) and the relay's timings
 * (`OUTBOX_*`). A service merges the tables into its own and reads the values back with these
 * functions, so every issuer means the same by each variable.
 */
import {
  integerVariable,
  kafkaSecurity,
  kafkaSecurityVariables,
  outboxRelayVariables,
  revocationTopicVariables,
} from '@revocation-fabric/service-runtime';
import type { ConfigProblem } from '@revocation-fabric/service-runtime';
import type { KafkaConnectionOptions } from '@revocation-fabric/kafka-connection';
import { z } from 'zod';
import type { IssuerKafkaConfig, IssuerOutboxConfig } from '../relay/relay-settings.js';
import type { DatabaseConfig } from '../store/database-config.js';

/**
 * The database variables: `DATABASE_URL` (a `postgres://` URL; PostgreSQL when set),
 * `DATABASE_POOL_MAX` (1–100, default 10) and `SQLITE_PATH` (default `defaultSqlitePath`).
 *
 * @example
 * ```ts
 * const variables = { ...databaseVariables('./data/user-service.sqlite'), ...outboxRelayVariables };
 * ```
 */
export function databaseVariables(defaultSqlitePath: string) {
  return {
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_MAX: integerVariable(1, 100).default(10),
    SQLITE_PATH: z.string().min(1).default(defaultSqlitePath),
  } satisfies Record<string, z.ZodType>;
}

/**
 * The database the variables name: PostgreSQL when `DATABASE_URL` is set, else the SQLite file.
 *
 * @example
 * ```ts
 * const database = databaseConfig(values); // { kind: 'sqlite', path: './data/…' }
 * ```
 */
export function databaseConfig(v: {
  readonly DATABASE_URL: string | undefined;
  readonly DATABASE_POOL_MAX: number;
  readonly SQLITE_PATH: string;
}): DatabaseConfig {
  return v.DATABASE_URL === undefined
    ? { kind: 'sqlite', path: v.SQLITE_PATH }
    : { kind: 'postgres', url: v.DATABASE_URL, poolMax: v.DATABASE_POOL_MAX };
}

/**
 * The topic and broker settings from service-runtime's `revocationTopicVariables` and
 * `outboxRelayVariables` values and the checked Kafka security (`kafkaSecurity`).
 *
 * @example
 * ```ts
 * const kafka = issuerKafkaConfig(values, kafkaSecurity(values, problems));
 * ```
 */
export function issuerKafkaConfig(
  v: {
    readonly KAFKA_BROKERS: readonly string[];
    readonly KAFKA_CLIENT_ID: string;
    readonly REVOCATION_TOPIC: string;
    readonly REVOCATION_TOPIC_PARTITIONS: number;
    readonly REVOCATION_TOPIC_REPLICATION_FACTOR: number;
  },
  security: Pick<KafkaConnectionOptions, 'sasl' | 'tls'>,
): IssuerKafkaConfig {
  return {
    brokers: v.KAFKA_BROKERS,
    clientId: v.KAFKA_CLIENT_ID,
    topic: v.REVOCATION_TOPIC,
    partitions: v.REVOCATION_TOPIC_PARTITIONS,
    replicationFactor: v.REVOCATION_TOPIC_REPLICATION_FACTOR,
    sasl: security.sasl,
    tls: security.tls,
  };
}

/**
 * The relay's timings from `outboxRelayVariables` values.
 *
 * @example
 * ```ts
 * const outbox = issuerOutboxConfig(values);
 * ```
 */
export function issuerOutboxConfig(v: {
  readonly OUTBOX_POLL_INTERVAL_MS: number;
  readonly OUTBOX_MAX_RETRY_DELAY_MS: number;
  readonly OUTBOX_RETENTION_MS: number;
}): IssuerOutboxConfig {
  return {
    pollIntervalMs: v.OUTBOX_POLL_INTERVAL_MS,
    maxRetryDelayMs: v.OUTBOX_MAX_RETRY_DELAY_MS,
    retentionMs: v.OUTBOX_RETENTION_MS,
  };
}

/** What {@link issuerVariables} needs to know of the service. */
export interface IssuerVariableDefaults {
  /** The Kafka client id, also the principal the broker's ACLs name. */
  readonly clientId: string;
  /** The SQLite file when `DATABASE_URL` is unset. */
  readonly sqlitePath: string;
  /** The revocation topic. Default the protocol's (`auth.revocations`). */
  readonly topic?: string | undefined;
}

/**
 * Every standard variable of an issuer's write path in one table: the database, the topic and
 * broker (security included) and the relay's timings.
 *
 * @example
 * ```ts
 * const variables = { PORT: integerVariable(0, 65535), ...issuerVariables({ clientId: 'gateway', sqlitePath: './data/gw.sqlite' }) };
 * ```
 */
export function issuerVariables(defaults: IssuerVariableDefaults) {
  return {
    ...databaseVariables(defaults.sqlitePath),
    ...revocationTopicVariables(defaults.clientId, defaults.topic),
    ...kafkaSecurityVariables,
    ...outboxRelayVariables,
  };
}

/** The values {@link issuerVariables} reads. */
export type IssuerVariableValues = {
  readonly [Name in keyof ReturnType<typeof issuerVariables>]: z.output<
    ReturnType<typeof issuerVariables>[Name]
  >;
};

/** An issuer's write-path settings, read from the standard variables. */
export interface IssuerSettings {
  readonly database: DatabaseConfig;
  readonly kafka: IssuerKafkaConfig;
  readonly outbox: IssuerOutboxConfig;
}

/**
 * Reads the write-path settings back from {@link issuerVariables}' values; problems across
 * variables (SASL without a password, a CA file without TLS) are pushed to `problems`, and the
 * result is meaningful only when none were.
 *
 * @example
 * ```ts
 * const problems: ConfigProblem[] = [];
 * const { database, kafka, outbox } = issuerSettings(values, problems);
 * if (problems.length > 0) throw new ConfigError({ problems });
 * ```
 */
export function issuerSettings(v: IssuerVariableValues, problems: ConfigProblem[]): IssuerSettings {
  return {
    database: databaseConfig(v),
    kafka: issuerKafkaConfig(v, kafkaSecurity(v, problems)),
    outbox: issuerOutboxConfig(v),
  };
}
