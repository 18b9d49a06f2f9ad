/**
 * The Kafka security variables the services read (`KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`,
 * `KAFKA_SASL_PASSWORD`, `KAFKA_TLS`, `KAFKA_TLS_CA_FILE`), taken from the demo's own
 * environment: passed to every service it starts and used by its own admin client. Unset, the
 * demo runs unsecured, like the broker it usually gets.
 */
import { readFileSync } from 'node:fs';

/** SASL for kafkajs, one member per mechanism so it fits kafkajs' own discriminated union. */
type Sasl =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

/** The client settings: kafkajs' `sasl` and `ssl`, without importing kafkajs here. */
export interface KafkaSecurityConfig {
  sasl?: Sasl;
  ssl?: true | { ca: string };
}

const NAMES = [
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_TLS',
  'KAFKA_TLS_CA_FILE',
] as const;

/** The variables that are set, to add to a child's environment (the service validates them). */
export function kafkaSecurityEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const passed: Record<string, string> = {};
  for (const name of NAMES) {
    const value = env[name];
    if (value !== undefined && value !== '') passed[name] = value;
  }
  return passed;
}

/** The same settings for the demo's own kafkajs admin client. */
export function kafkaSecurityConfig(env: NodeJS.ProcessEnv = process.env): KafkaSecurityConfig {
  const config: KafkaSecurityConfig = {};
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const username = env.KAFKA_SASL_USERNAME ?? '';
  const password = env.KAFKA_SASL_PASSWORD ?? '';
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    config.sasl = { mechanism, username, password };
  } else if (mechanism !== undefined && mechanism !== '') {
    throw new TypeError(
      `KAFKA_SASL_MECHANISM must be scram-sha-512, scram-sha-256 or plain, got ${mechanism}`,
    );
  }
  if (env.KAFKA_TLS === 'true' || env.KAFKA_TLS === '1') {
    const caFile = env.KAFKA_TLS_CA_FILE;
    config.ssl =
      caFile === undefined || caFile === '' ? true : { ca: readFileSync(caFile, 'utf8') };
  }
  return config;
}
