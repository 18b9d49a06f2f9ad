import type { KafkaSasl } from '@revocation-fabric/kafka-connection';
import { withAdmin } from './lib/kafka-client.js';
import { waitFor } from './wait-for.js';

/** What {@link createTopic} creates. */
export interface TopicSpec {
  /** Topic name; see {@link uniqueTopic}. */
  readonly topic: string;
  /** Partition count. Default: 1. */
  readonly partitions?: number;
  /** Replicas per partition. Default: the broker's `default.replication.factor`. */
  readonly replicationFactor?: number;
  /** Topic-level configs, e.g. `{ name: 'min.insync.replicas', value: '2' }`. Default: none. */
  readonly configEntries?: readonly { readonly name: string; readonly value: string }[];
  /** Create it as this principal (a secured cluster's `admin`). Default: unauthenticated. */
  readonly sasl?: KafkaSasl | undefined;
}

/**
 * Creates a topic and resolves once every partition has a leader, so the first produce does
 * not race leader election. An existing topic of that name is an error: use a unique name.
 *
 * @example
 * ```ts
 * await createTopic(kafka.brokers, { topic, partitions: 3, replicationFactor: 3,
 *   configEntries: [{ name: 'min.insync.replicas', value: '2' }] });
 * ```
 */
export async function createTopic(brokers: readonly string[], spec: TopicSpec): Promise<void> {
  const partitions = spec.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new TypeError(`partitions must be a positive integer, got ${partitions}`);
  }
  if (
    spec.replicationFactor !== undefined &&
    (!Number.isInteger(spec.replicationFactor) || spec.replicationFactor < 1)
  ) {
    throw new TypeError(
      `replicationFactor must be a positive integer, got ${spec.replicationFactor}`,
    );
  }
  await withAdmin(brokers, { clientId: 'testkit-admin', sasl: spec.sasl }, async (admin) => {
    // kafkajs' own waitForLeaders retries only LEADER_NOT_AVAILABLE; on a 3-node cluster a
    // broker that has not caught up with the new topic answers UNKNOWN_TOPIC_OR_PARTITION and
    // kafkajs gives up. So create without waiting and poll the metadata ourselves.
    const created = await admin.createTopics({
      waitForLeaders: false,
      topics: [
        {
          topic: spec.topic,
          numPartitions: partitions,
          // -1 asks the broker for its default.replication.factor (KIP-464).
          replicationFactor: spec.replicationFactor ?? -1,
          ...(spec.configEntries === undefined
            ? {}
            : { configEntries: spec.configEntries.map(({ name, value }) => ({ name, value })) }),
        },
      ],
    });
    if (!created) throw new Error(`topic ${spec.topic} already exists`);
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [spec.topic] });
        const found = topics[0]?.partitions ?? [];
        return found.length === partitions && found.every((p) => p.leader >= 0);
      },
      {
        timeoutMs: 60_000,
        intervalMs: 100,
        description: `leaders for every partition of ${spec.topic}`,
      },
    );
  });
}
