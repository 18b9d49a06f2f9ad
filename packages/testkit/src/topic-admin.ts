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

/**
 * Deletes a topic and waits until the cluster no longer lists it, so a topic of the same name
 * can be created at once (a recreated topic: offsets start over).
 *
 * @example
 * ```ts
 * await deleteTopic(brokers, topic);
 * await createRevocationTopic(brokers, topic);
 * ```
 */
export async function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  await withAdmin(brokers, { clientId: 'testkit-admin' }, async (admin) => {
    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    for (let waited = 0; (await admin.listTopics()).includes(topic); waited += 100) {
      if (waited > 10_000) throw new Error(`topic ${topic} still listed 10 s after its deletion`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}
