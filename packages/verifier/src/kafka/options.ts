import type { ConnectionOptions } from 'node:tls';
import { DEFAULT_REVOCATION_TOPIC } from '@revocation-fabric/protocol';
import { describe, validateDuration, validateOptionalString } from '../lib/validate.js';

/** Default Kafka client id. */
export const DEFAULT_KAFKA_CLIENT_ID = 'revocation-verifier';

/** TLS settings of the broker connection: Node's own TLS options, the ones a client needs. */
export type KafkaTlsOptions = Pick<
  ConnectionOptions,
  'ca' | 'cert' | 'key' | 'passphrase' | 'pfx' | 'rejectUnauthorized' | 'servername'
>;

/** SASL authentication to the broker (the local cluster's secured mode uses SCRAM). */
export type KafkaSaslOptions = {
  readonly [M in 'plain' | 'scram-sha-256' | 'scram-sha-512']: {
    /** SASL mechanism. */
    readonly mechanism: M;
    readonly username: string;
    readonly password: string;
  };
}['plain' | 'scram-sha-256' | 'scram-sha-512'];

/** Options of `kafkaRevocations`. */
export interface KafkaRevocationsOptions {
  /** Bootstrap brokers, `host:port`. Required. */
  readonly brokers: readonly string[];
  /**
   * The revocation topic, when the feed reads one. Default `auth.revocations`. Give `topics`
   * instead to read several (one per producer); not both.
   */
  readonly topic?: string | undefined;
  /**
   * The revocation topics, one per producer (the user-service's, the gateway's…): each is
   * written by one Kafka principal, and each trusted issuer's `revocations.sources` names
   * the topics allowed to speak for it. Default `[topic]`.
   */
  readonly topics?: readonly string[] | undefined;
  /**
   * Kafka client id, also the prefix of this instance's consumer group id
   * (`${clientId}-${uuid}`). Default `revocation-verifier`.
   */
  readonly clientId?: string | undefined;
  /** TLS: `true` (system CAs) or TLS options. Default: plaintext. */
  readonly tls?: boolean | KafkaTlsOptions | undefined;
  /** SASL mechanism and credentials. Default: none. */
  readonly sasl?: KafkaSaslOptions | undefined;
  /** Time to establish a broker connection, in ms. Default 3000. */
  readonly connectionTimeoutMs?: number | undefined;
}

/** {@link KafkaRevocationsOptions} with every default filled in. */
export interface ResolvedKafkaOptions {
  readonly brokers: string[];
  /** The topics read, at least one, each once. */
  readonly topics: readonly string[];
  readonly clientId: string;
  readonly tls: boolean | KafkaTlsOptions | undefined;
  readonly sasl: KafkaSaslOptions | undefined;
  /** ms */
  readonly connectionTimeoutMs: number;
}

const SASL_MECHANISMS: ReadonlySet<string> = new Set(['plain', 'scram-sha-256', 'scram-sha-512']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateSasl(value: unknown): KafkaSaslOptions | undefined {
  if (value === undefined) return undefined;
  if (
    !isObject(value) ||
    typeof value.mechanism !== 'string' ||
    !SASL_MECHANISMS.has(value.mechanism) ||
    typeof value.username !== 'string' ||
    typeof value.password !== 'string'
  ) {
    throw new TypeError(
      `kafka.sasl must be { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password }, got ${describe(value)}`,
    );
  }
  // A copy: kafkajs stores its authentication state on the object it is given, bound to the
  // password it first saw, so a caller's object reused with another password would keep the old.
  const { mechanism, username, password } = value;
  return { mechanism, username, password } as KafkaSaslOptions;
}

function validateTls(value: unknown): ResolvedKafkaOptions['tls'] {
  if (value === undefined || typeof value === 'boolean') return value;
  if (!isObject(value))
    throw new TypeError(`kafka.tls must be a boolean or TLS options, got ${describe(value)}`);
  return value;
}

function validateTopics(topic: unknown, topics: unknown): readonly string[] {
  if (topics === undefined)
    return [validateOptionalString(topic, DEFAULT_REVOCATION_TOPIC, 'kafka.topic')];
  if (topic !== undefined) throw new TypeError('kafka.topic and kafka.topics: give one, not both');
  if (
    !Array.isArray(topics) ||
    topics.length === 0 ||
    !topics.every((t) => typeof t === 'string' && t.length > 0)
  ) {
    throw new TypeError(
      `kafka.topics must be a non-empty array of topic names, got ${describe(topics)}`,
    );
  }
  const unique = new Set(topics as string[]);
  if (unique.size !== topics.length)
    throw new TypeError(`kafka.topics names a topic twice: ${describe(topics)}`);
  return Object.freeze([...unique]);
}

/**
 * Checks the Kafka options once and fills in the defaults.
 *
 * @throws TypeError naming the first option at fault (`kafka.brokers`, …).
 */
export function resolveKafkaOptions(value: unknown): ResolvedKafkaOptions {
  if (!isObject(value))
    throw new TypeError(`kafka options must be an object, got ${describe(value)}`);
  const { brokers } = value;
  if (
    !Array.isArray(brokers) ||
    brokers.length === 0 ||
    !brokers.every((b) => typeof b === 'string' && b.length > 0)
  ) {
    throw new TypeError(
      `kafka.brokers must be a non-empty array of host:port strings, got ${describe(brokers)}`,
    );
  }
  return {
    brokers: [...(brokers as string[])],
    topics: validateTopics(value.topic, value.topics),
    clientId: validateOptionalString(value.clientId, DEFAULT_KAFKA_CLIENT_ID, 'kafka.clientId'),
    tls: validateTls(value.tls),
    sasl: validateSasl(value.sasl),
    connectionTimeoutMs: validateDuration(
      value.connectionTimeoutMs,
      3_000,
      'kafka.connectionTimeoutMs',
      1,
    ),
  };
}
