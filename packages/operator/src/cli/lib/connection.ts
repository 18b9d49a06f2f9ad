/**
 * Reaching the brokers from the command line: `--brokers`, SASL and TLS options or their
 * `REVOCATION_FABRIC_*` variables, the operator's client opened and closed around a command,
 * and Kafka's failures told in the operator's terms.
 */
import { readFileSync } from 'node:fs';
import { KAFKA_SASL_MECHANISMS, KafkaOptionError } from '@revocation-fabric/kafka-connection';
import type {
  KafkaConnectionOptions,
  KafkaSaslMechanism,
} from '@revocation-fabric/kafka-connection';
import { DEFAULT_REVOCATION_TOPIC } from '@revocation-fabric/protocol';
import { connectOperator } from '../../connect.js';
import type { OperatorKafka } from '../../kafka-client.js';
import { KafkaFailedError, UsageError } from '../errors.js';
import { flag, stringOption } from './arguments.js';
import type { OptionValues } from './arguments.js';

/** The environment variables the connection options fall back on. */
export const CONNECTION_ENV = {
  brokers: 'REVOCATION_FABRIC_BROKERS',
  topic: 'REVOCATION_FABRIC_TOPIC',
  saslMechanism: 'REVOCATION_FABRIC_SASL_MECHANISM',
  saslUsername: 'REVOCATION_FABRIC_SASL_USERNAME',
  saslPassword: 'REVOCATION_FABRIC_SASL_PASSWORD',
  tls: 'REVOCATION_FABRIC_TLS',
  tlsCa: 'REVOCATION_FABRIC_TLS_CA',
} as const;

/** The Kafka client id the CLI connects with (ACLs may name it). */
export const CLI_CLIENT_ID = 'revocation-fabric-cli';

type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The topic: `--topic`, else `REVOCATION_FABRIC_TOPIC`, else `auth.revocations`. */
export function topicOf(values: OptionValues, env: Env): string {
  return (
    stringOption(values, 'topic') ?? fromEnv(env, CONNECTION_ENV.topic) ?? DEFAULT_REVOCATION_TOPIC
  );
}

function isMechanism(value: string): value is KafkaSaslMechanism {
  return (KAFKA_SASL_MECHANISMS as readonly string[]).includes(value);
}

/**
 * The connection options of the command line, options winning over variables.
 *
 * @throws {@link UsageError} when no broker is named, SASL is half given, a CA file is unreadable.
 */
export function connectionOptions(
  values: OptionValues,
  env: Env,
  command?: string,
): KafkaConnectionOptions {
  const brokersText = stringOption(values, 'brokers') ?? fromEnv(env, CONNECTION_ENV.brokers);
  const brokers = (brokersText ?? '')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  if (brokers.length === 0) {
    throw new UsageError(
      `no brokers: pass --brokers host:port[,host:port…] or set ${CONNECTION_ENV.brokers}`,
      command,
    );
  }
  const mechanism = (
    stringOption(values, 'sasl-mechanism') ?? fromEnv(env, CONNECTION_ENV.saslMechanism)
  )?.toLowerCase();
  const username =
    stringOption(values, 'sasl-username') ?? fromEnv(env, CONNECTION_ENV.saslUsername);
  const password = stringOption(values, 'sasl-password') ?? env[CONNECTION_ENV.saslPassword];
  let sasl: KafkaConnectionOptions['sasl'];
  if (mechanism !== undefined || username !== undefined) {
    if (mechanism === undefined || !isMechanism(mechanism)) {
      throw new UsageError(
        `--sasl-mechanism must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism ?? '')}`,
        command,
      );
    }
    if (username === undefined || password === undefined || password === '') {
      throw new UsageError(
        `SASL needs a username and a password: --sasl-username (${CONNECTION_ENV.saslUsername}) and ${CONNECTION_ENV.saslPassword} (or --sasl-password)`,
        command,
      );
    }
    sasl = { mechanism, username, password };
  }
  const caFile = stringOption(values, 'tls-ca') ?? fromEnv(env, CONNECTION_ENV.tlsCa);
  const tlsWanted =
    flag(values, 'tls') || /^(1|true|yes)$/i.test(fromEnv(env, CONNECTION_ENV.tls) ?? '');
  let tls: KafkaConnectionOptions['tls'];
  if (caFile !== undefined) {
    try {
      tls = { ca: readFileSync(caFile, 'utf8') };
    } catch (error) {
      throw new UsageError(
        `--tls-ca ${caFile}: ${error instanceof Error ? error.message : String(error)}`,
        command,
      );
    }
  } else if (tlsWanted) tls = true;
  return {
    brokers,
    clientId: CLI_CLIENT_ID,
    ...(sasl === undefined ? {} : { sasl }),
    ...(tls === undefined ? {} : { tls }),
  };
}

/**
 * Runs `body` with the operator's client, closed afterwards; Kafka's failures become
 * {@link KafkaFailedError}s that say what to check.
 */
export async function withOperator<T>(
  options: KafkaConnectionOptions,
  topic: string,
  body: (kafka: OperatorKafka) => Promise<T>,
): Promise<T> {
  let kafka: OperatorKafka;
  try {
    kafka = connectOperator(options);
  } catch (error) {
    if (error instanceof KafkaOptionError)
      throw new UsageError(error.message, undefined, { cause: error });
    throw error;
  }
  try {
    return await body(kafka);
  } catch (error) {
    throw kafkaFailure(error, options.brokers, topic);
  } finally {
    await kafka.close().catch(() => {});
  }
}

/** Kafka's error types (kafkajs' `type`) worth a hint. */
const HINTS: Readonly<Record<string, string>> = {
  UNKNOWN_TOPIC_OR_PARTITION:
    'the topic does not exist (check --topic), or this principal may not Describe it',
  TOPIC_AUTHORIZATION_FAILED:
    'grant this principal Read and Describe on the topic (and DescribeConfigs)',
  GROUP_AUTHORIZATION_FAILED:
    'grant this principal Describe on consumer groups (and Read for the CLI’s own reader group prefix revocation-fabric-operator-)',
  CLUSTER_AUTHORIZATION_FAILED: 'grant this principal Describe on the cluster',
  SASL_AUTHENTICATION_FAILED: 'check the SASL mechanism, username and password',
  ILLEGAL_SASL_STATE: 'the brokers expect another SASL mechanism',
};

/** Tells a failure of Kafka in the operator's terms; errors of the CLI pass through. */
export function kafkaFailure(error: unknown, brokers: readonly string[], topic: string): unknown {
  if (!(error instanceof Error) || !error.name.startsWith('KafkaJS')) return error;
  // kafkajs wraps the broker's answer in "retries exceeded": its type is on the cause.
  const cause = (error as { cause?: unknown }).cause;
  const type =
    (error as { type?: unknown }).type ?? (cause as { type?: unknown } | undefined)?.type;
  const hint = typeof type === 'string' ? HINTS[type] : undefined;
  const unreachable =
    hint === undefined &&
    /Connection|NumberOfRetriesExceeded|RequestTimeout|BrokerNotFound|Timeout/.test(
      error.name + error.message,
    );
  const detail =
    cause instanceof Error && cause.message !== error.message
      ? `${error.message} (${cause.message})`
      : error.message;
  return unreachable
    ? new KafkaFailedError(
        'KAFKA_UNREACHABLE',
        `could not reach the brokers ${brokers.join(',')}: ${detail}`,
        { cause: error },
      )
    : new KafkaFailedError(
        'KAFKA_FAILED',
        `Kafka refused a request about topic ${topic}: ${detail}${hint === undefined ? '' : ` — ${hint}`}`,
        { cause: error },
      );
}
