/**
 * The Kafka security variables (SASL credentials, TLS), parsed and cross-checked once. The same
 * variables and rules as the user-service's copy of this file: both services speak to one broker.
 */
import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './config-error.js';
import { z } from 'zod';

/** SASL towards the brokers, as the Kafka clients take it. */
export interface KafkaSaslConfig {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly username: string;
  readonly password: string;
}

/** TLS towards the brokers: `true` for node's CA bundle, or the CA certificates (PEM) to trust. */
export type KafkaTlsConfig = true | { readonly ca: string };

const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

/** One schema per variable, merged into the service's table. */
export const kafkaSecurityVariables = {
  KAFKA_SASL_MECHANISM: z
    .enum(['scram-sha-512', 'scram-sha-256', 'plain'], {
      error: 'must be scram-sha-512, scram-sha-256 or plain',
    })
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
): { sasl: KafkaSaslConfig | undefined; tls: KafkaTlsConfig | undefined } {
  let sasl: KafkaSaslConfig | undefined;
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
  let tls: KafkaTlsConfig | undefined;
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
