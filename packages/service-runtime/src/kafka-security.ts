/**
 * The Kafka security variables (SASL credentials, TLS), parsed and cross-checked once, for both
 * services, the demo and the benchmarks: everything that talks to one broker reads them alike.
 * They produce the fabric's one definition of a connection's security (`KafkaSasl`, the `tls`
 * of `KafkaConnectionOptions`, from `@revocation-fabric/kafka-connection`), which the publisher
 * and the verifier take as they are.
 */
import { readFileSync } from 'node:fs';
import { KAFKA_SASL_MECHANISMS } from '@revocation-fabric/kafka-connection';
import type { KafkaConnectionOptions, KafkaSasl } from '@revocation-fabric/kafka-connection';
import { ConfigError } from './config-error.js';
import type { ConfigProblem } from './config-error.js';
import { loadEnvironment } from './load-environment.js';
import type { Environment } from './load-environment.js';
import { z } from 'zod';

/** The security part of a Kafka connection, as the variables give it. */
export type KafkaSecurity = Pick<KafkaConnectionOptions, 'sasl' | 'tls'>;

/** @deprecated The shared `KafkaSasl` of `@revocation-fabric/kafka-connection`, under its old name. */
export type KafkaSaslConfig = KafkaSasl;

/** @deprecated The `tls` of the shared `KafkaConnectionOptions`, under its old name. */
export type KafkaTlsConfig = NonNullable<KafkaConnectionOptions['tls']>;

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

/** One schema per variable, merged into the service's table. */
export const kafkaSecurityVariables = {
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, { error: 'must be scram-sha-512, scram-sha-256 or plain' })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_TLS: flag.default(false),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
} satisfies Record<string, z.ZodType>;

type SecurityValues = {
  readonly [Name in keyof typeof kafkaSecurityVariables]: z.output<
    (typeof kafkaSecurityVariables)[Name]
  >;
};

/**
 * The rules across the variables: a mechanism needs a username and a password (and they need
 * a mechanism); a CA file needs `KAFKA_TLS=true` and must be readable. Problems are pushed to
 * `problems`; the result is only meaningful when none were.
 */
export function kafkaSecurity(
  v: SecurityValues,
  problems: ConfigProblem[],
): { sasl: KafkaSasl | undefined; tls: KafkaSecurity['tls'] } {
  let sasl: KafkaSasl | undefined;
  if (v.KAFKA_SASL_MECHANISM === undefined) {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (v[name] !== undefined) {
        problems.push({ variable: name, message: 'needs KAFKA_SASL_MECHANISM' });
      }
    }
  } else if (v.KAFKA_SASL_USERNAME === undefined || v.KAFKA_SASL_PASSWORD === undefined) {
    problems.push({
      variable: v.KAFKA_SASL_USERNAME === undefined ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD',
      message: `is required with KAFKA_SASL_MECHANISM=${v.KAFKA_SASL_MECHANISM}`,
    });
  } else {
    sasl = {
      mechanism: v.KAFKA_SASL_MECHANISM,
      username: v.KAFKA_SASL_USERNAME,
      password: v.KAFKA_SASL_PASSWORD,
    };
  }
  let tls: KafkaSecurity['tls'];
  if (v.KAFKA_TLS_CA_FILE !== undefined && !v.KAFKA_TLS) {
    problems.push({ variable: 'KAFKA_TLS_CA_FILE', message: 'needs KAFKA_TLS=true' });
  } else if (v.KAFKA_TLS_CA_FILE !== undefined) {
    try {
      tls = { ca: readFileSync(v.KAFKA_TLS_CA_FILE, 'utf8') };
    } catch (error) {
      problems.push({
        variable: 'KAFKA_TLS_CA_FILE',
        message: `cannot be read: ${(error as Error).message}`,
      });
    }
  } else if (v.KAFKA_TLS) {
    tls = true;
  }
  return { sasl, tls };
}

/** Names of the variables, to hand them on to a child process. */
const NAMES = Object.keys(kafkaSecurityVariables) as (keyof typeof kafkaSecurityVariables)[];

/**
 * The Kafka security settings of a program that is not a service (the demo, the benchmarks):
 * read from `env`, checked with the same rules, and thrown as one {@link ConfigError}.
 *
 * @example
 * ```ts
 * const { sasl, tls } = kafkaSecurityFromEnvironment(process.env);
 * const feed = kafkaRevocations({ brokers, topic, sasl, tls });
 * ```
 */
export function kafkaSecurityFromEnvironment(env: Environment): {
  sasl: KafkaSasl | undefined;
  tls: KafkaSecurity['tls'];
} {
  const values = loadEnvironment(kafkaSecurityVariables, env);
  const problems: ConfigProblem[] = [];
  const security = kafkaSecurity(values, problems);
  if (problems.length > 0) throw new ConfigError({ problems });
  return security;
}

/**
 * The security variables that are set in `env`, to add to a child's environment (the child
 * validates them itself).
 */
export function kafkaSecurityEnvironment(env: Environment): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') passed[name] = value;
  }
  return passed;
}
