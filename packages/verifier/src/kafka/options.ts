import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import type {
  KafkaConnection,
  KafkaConnectionOptions,
  KafkaSasl,
} from '@revocation-fabric/kafka-connection';
import { DEFAULT_REVOCATION_TOPIC } from '@revocation-fabric/protocol';
import { describe, validateOptionalString } from '../lib/validate.js';

/** Default Kafka client id. */
export const DEFAULT_KAFKA_CLIENT_ID = 'revocation-verifier';

/** @deprecated The name `KafkaSasl` had here before it was shared; use that. */
export type KafkaSaslOptions = KafkaSasl;

/**
 * Options of `kafkaRevocations`: the connection, the fabric's one definition (`brokers`, `tls`,
 * `sasl`, `connectionTimeoutMs` — default 3000 ms), and which topics to read.
 */
export interface KafkaRevocationsOptions extends KafkaConnectionOptions {
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
}

/** {@link KafkaRevocationsOptions} with every default filled in. */
export interface ResolvedKafkaOptions extends KafkaConnection {
  /** The topics read, at least one, each once. */
  readonly topics: readonly string[];
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
 * Checks the Kafka options once and fills in the defaults: the connection by kafka-connection's
 * `resolveKafkaConnection`, the topics here.
 *
 * @throws TypeError naming the first option at fault (`kafka.brokers`, …): a `KafkaOptionError`
 *   for the connection's options.
 */
export function resolveKafkaOptions(value: unknown): ResolvedKafkaOptions {
  const connection = resolveKafkaConnection(value, { defaultClientId: DEFAULT_KAFKA_CLIENT_ID });
  const { topic, topics } = value as { readonly topic?: unknown; readonly topics?: unknown };
  return { ...connection, topics: validateTopics(topic, topics) };
}
