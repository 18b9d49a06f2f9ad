import { withAdmin } from './kafka-client.js';
import type { KafkaSasl } from '@revocation-fabric/kafka-connection';
import { BrokersUnreachableError } from '../errors.js';
import { waitFor } from '../wait-for.js';

/**
 * Resolves once a kafkajs client gets an answer to a metadata request (DescribeCluster) from
 * `brokers`: an open port is not a working broker, and a wrong `KAFKA_BROKERS` should fail
 * here with its origin named, not as a timeout inside some test.
 *
 * @returns the number of brokers the cluster reports.
 */
export async function confirmBrokers(
  brokers: readonly string[],
  origin: string,
  timeoutMs: number,
  sasl?: KafkaSasl,
): Promise<number> {
  try {
    return await waitFor(
      () =>
        withAdmin(
          brokers,
          { clientId: 'testkit-check', connectionTimeoutMs: 2_000, retries: 0, sasl },
          async (admin) => (await admin.describeCluster()).brokers.length,
        ),
      { timeoutMs, intervalMs: 500, description: 'a metadata answer' },
    );
  } catch (error) {
    throw new BrokersUnreachableError(brokers, origin, { cause: (error as Error).cause ?? error });
  }
}
