import { withAdmin } from './lib/kafka-client.js';

/**
 * The node id leading `partition` of `topic`, from a fresh metadata request.
 *
 * @example
 * ```ts
 * await kafka.killNode(await partitionLeader(kafka.brokers, topic, 0));
 * ```
 */
export async function partitionLeader(
  brokers: readonly string[],
  topic: string,
  partition: number,
): Promise<number> {
  const metadata = await withAdmin(brokers, { clientId: 'testkit-admin' }, (admin) =>
    admin.fetchTopicMetadata({ topics: [topic] }),
  );
  const leader = metadata.topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader;
  if (leader === undefined || leader < 0) {
    throw new Error(`partition ${partition} of ${topic} has no leader`);
  }
  return leader;
}

/**
 * The ids of every consumer group the cluster knows.
 *
 * @example
 * ```ts
 * expect((await consumerGroups(brokers)).filter((g) => g.startsWith(clientId))).toHaveLength(1);
 * ```
 */
export async function consumerGroups(brokers: readonly string[]): Promise<string[]> {
  const { groups } = await withAdmin(brokers, { clientId: 'testkit-admin' }, (admin) =>
    admin.listGroups(),
  );
  return groups.map((group) => group.groupId);
}
