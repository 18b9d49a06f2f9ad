/** Opening the operator's Kafka client from the fabric's connection options. */
import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import type { KafkaConnectionOptions } from '@revocation-fabric/kafka-connection';
import { operatorKafka } from './kafka-client.js';
import type { OperatorKafka } from './kafka-client.js';

/** Default Kafka client id of the operator's client. */
export const DEFAULT_OPERATOR_CLIENT_ID = 'revocation-fabric-operator';

/**
 * Opens the operator's Kafka client (it connects on first use). The principal needs Describe on
 * the cluster's groups and Read on their offsets to see receipts, Read and Describe on the
 * topic to decode it (see the operator package's README).
 *
 * @throws `KafkaOptionError` naming the first connection option at fault.
 * @example
 * ```ts
 * const kafka = connectOperator({ brokers: ['127.0.0.1:9092'] });
 * const fleet = await readFleet(kafka, { topic: 'auth.revocations' });
 * await kafka.close();
 * ```
 */
export function connectOperator(options: KafkaConnectionOptions): OperatorKafka {
  return operatorKafka(
    resolveKafkaConnection(options, { defaultClientId: DEFAULT_OPERATOR_CLIENT_ID }),
  );
}
