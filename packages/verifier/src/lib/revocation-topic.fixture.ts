/**
 * Test fixture: a revocation topic on a real broker, created as the protocol specifies it.
 * Excluded from the build.
 */
import { revocationTopicSpec } from '@revocation-fabric/protocol';
import { createTopic } from '@revocation-fabric/testkit';

/**
 * Creates `topic` with the partitions and cleanup settings the protocol gives a revocation
 * topic for 15-minute tokens (3 partitions, one replica), and waits for its leaders.
 */
export async function createRevocationTopic(
  brokers: readonly string[],
  topic: string,
): Promise<void> {
  const spec = revocationTopicSpec({ topic, partitions: 3, maxTokenLifetimeMs: 15 * 60_000 });
  await createTopic(brokers, {
    topic,
    partitions: spec.numPartitions,
    replicationFactor: 1,
    configEntries: spec.configEntries,
  });
}
