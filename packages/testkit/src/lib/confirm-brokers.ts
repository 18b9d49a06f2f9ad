import { Kafka, logLevel } from 'kafkajs';
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
): Promise<number> {
  const admin = new Kafka({
    clientId: 'testkit-check',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    return await waitFor(
      async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return cluster.brokers.length;
      },
      { timeoutMs, intervalMs: 500, description: 'a metadata answer' },
    );
  } catch (error) {
    throw new BrokersUnreachableError(brokers, origin, { cause: (error as Error).cause ?? error });
  } finally {
    await admin.disconnect();
  }
}
