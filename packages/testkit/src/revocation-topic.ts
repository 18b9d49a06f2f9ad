import { revocationTopicSpec } from '@revocation-fabric/protocol';
import { createTopic } from './create-topic.js';

/**
 * Creates `topic` as the protocol specifies a revocation topic for 15-minute tokens: its
 * partitions (3) and cleanup settings, one replica. Resolves once every partition has a leader.
 *
 * @example
 * ```ts
 * const topic = uniqueTopic('game-e2e');
 * await createRevocationTopic(brokers, topic);
 * ```
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
