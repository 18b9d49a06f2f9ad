/**
 * The operator's Kafka client over kafkajs: the only file of the package that imports it. It
 * answers in the package's own terms (groups, committed offsets, partitions, records) and
 * decides nothing.
 */
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin, IHeaders } from 'kafkajs';
import type { Kafka } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';

// kafkajs is CommonJS, and Node's ESM loader finds only some of its named exports (its code
// tables are not among them): everything comes from its default export.
const {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AssignerProtocol,
  ConfigResourceTypes,
  ResourcePatternTypes,
  logLevel,
} = kafkajs;
import type { KafkaConnection } from '@revocation-fabric/kafka-connection';

/** The prefix of the consumer groups the operator's own readers use: never a verifier. */
export const OPERATOR_GROUP_PREFIX = 'revocation-fabric-operator-';

/** One partition's offsets. */
export interface PartitionRange {
  readonly partition: number;
  /** The first offset still held (retention moved it). */
  readonly low: number;
  /** The high-water mark: the offset the next record gets. */
  readonly high: number;
}

/** A member of a consumer group, as the group coordinator reports it. */
export interface GroupMember {
  readonly memberId: string;
  readonly clientId: string;
  /** The address the broker sees the member connect from (`/10.0.0.5`). */
  readonly clientHost: string;
  /** The topics the member subscribed to. */
  readonly topics: readonly string[];
}

/** A consumer group and its members. */
export interface ConsumerGroup {
  readonly groupId: string;
  /** `Stable`, `PreparingRebalance`, `CompletingRebalance`, `Empty`, `Dead`. */
  readonly state: string;
  readonly members: readonly GroupMember[];
}

/** A topic's layout and the settings an operator checks. */
export interface TopicSettings {
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Every config entry the broker reports (`retention.ms`, `cleanup.policy`, …). */
  readonly configs: Readonly<Record<string, string>>;
}

/** An ACL binding on the topic, as DescribeAcls reports it. */
export interface TopicAcl {
  readonly principal: string;
  readonly host: string;
  /** `READ`, `WRITE`, `DESCRIBE`, `ALL`, … */
  readonly operation: string;
  /** `ALLOW` or `DENY`. */
  readonly permission: string;
  /** The resource pattern the binding is on (the topic's name, a prefix, or `*`). */
  readonly resourceName: string;
  readonly patternType: string;
}

/** One record of the topic. */
export interface TopicRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's timestamp, ms since the epoch. */
  readonly timestamp: number;
  readonly key: string | undefined;
  readonly value: Buffer | null;
  /** The record's headers as text (a repeated header keeps its last value). */
  readonly headers: Readonly<Record<string, string>>;
}

/** What {@link OperatorKafka.read} reads. */
export interface ReadOptions {
  readonly topic: string;
  /** Where each partition starts; partitions not named start at their beginning. */
  readonly from?: ReadonlyMap<number, number> | undefined;
  /** Stop once every partition reached `until`'s offset (exclusive); else follow forever. */
  readonly until?: ReadonlyMap<number, number> | undefined;
  /** Called for each record, in offset order per partition. */
  readonly onRecord: (record: TopicRecord) => void;
  /** Ends a read that follows the topic. */
  readonly signal?: AbortSignal | undefined;
}

/** The operator's questions to Kafka. */
export interface OperatorKafka {
  /** The consumer groups some member of which subscribed to `topic` (the operator's excluded). */
  groupsReading(topic: string): Promise<ConsumerGroup[]>;
  /** Each group's committed offsets on `topic` (a partition without one is absent). */
  committedOffsets(
    groupIds: readonly string[],
    topic: string,
  ): Promise<Map<string, Map<number, number>>>;
  partitionRanges(topic: string): Promise<PartitionRange[]>;
  topicSettings(topic: string): Promise<TopicSettings>;
  /** ACL bindings that apply to `topic`; rejects when the broker has no authorizer or denies. */
  topicAcls(topic: string): Promise<TopicAcl[]>;
  /** Reads records; resolves at `until` or once `signal` aborts. */
  read(options: ReadOptions): Promise<void>;
  close(): Promise<void>;
}

/** At most this many OffsetFetch requests at once (one per group). */
const FETCH_CONCURRENCY = 16;

/**
 * An {@link OperatorKafka} over kafkajs.
 *
 * @example
 * ```ts
 * const kafka = operatorKafka(resolveKafkaConnection({ brokers: ['127.0.0.1:9092'] }));
 * const groups = await kafka.groupsReading('auth.revocations');
 * await kafka.close();
 * ```
 */
export function operatorKafka(connection: KafkaConnection): OperatorKafka {
  // kafkajs 2.2.4 re-arms a 1 ms timer on idle connections (kafkajs #1556): mended in the
  // package's one kafkajs file, so every installation of the CLI gets it.
  fixKafkajsIdleTimer(import.meta.url);
  const kafka = new kafkajs.Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.tls === undefined ? {} : { ssl: connection.tls }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
    connectionTimeout: connection.connectionTimeoutMs,
    retry: { retries: 2, initialRetryTime: 200 },
    logLevel: logLevel.NOTHING,
  });
  let connected: Promise<Admin> | undefined;
  const admin = (): Promise<Admin> => {
    connected ??= (async () => {
      const client = kafka.admin();
      await client.connect();
      return client;
    })();
    connected.catch(() => {
      connected = undefined;
    });
    return connected;
  };
  const readers = new Set<Promise<void>>();
  return {
    groupsReading: async (topic) => {
      const client = await admin();
      const { groups } = await client.listGroups();
      const ids = groups
        .filter(
          (g) => g.protocolType === 'consumer' && !g.groupId.startsWith(OPERATOR_GROUP_PREFIX),
        )
        .map((g) => g.groupId);
      if (ids.length === 0) return [];
      const described = await client.describeGroups(ids);
      return described.groups
        .map((group): ConsumerGroup => ({
          groupId: group.groupId,
          state: group.state,
          members: group.members.map((member) => ({
            memberId: member.memberId,
            clientId: member.clientId,
            clientHost: member.clientHost,
            topics: subscribedTopics(member.memberMetadata),
          })),
        }))
        .filter((group) => group.members.some((member) => member.topics.includes(topic)));
    },
    committedOffsets: async (groupIds, topic) => {
      const client = await admin();
      const answer = new Map<string, Map<number, number>>();
      const queue = [...groupIds];
      const worker = async () => {
        for (let groupId = queue.shift(); groupId !== undefined; groupId = queue.shift()) {
          const offsets = new Map<number, number>();
          const [topicOffsets] = await client.fetchOffsets({ groupId, topics: [topic] });
          for (const { partition, offset } of topicOffsets?.partitions ?? []) {
            const value = Number(offset);
            if (value >= 0) offsets.set(partition, value);
          }
          answer.set(groupId, offsets);
        }
      };
      await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, queue.length) }, worker));
      return answer;
    },
    partitionRanges: async (topic) => {
      const client = await admin();
      return (await client.fetchTopicOffsets(topic))
        .map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) }))
        .sort((a, b) => a.partition - b.partition);
    },
    topicSettings: async (topic) => {
      const client = await admin();
      const { topics } = await client.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      const described = await client.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      });
      const configs: Record<string, string> = {};
      for (const entry of described.resources[0]?.configEntries ?? [])
        configs[entry.configName] = entry.configValue;
      return {
        partitions: partitions.length,
        replicationFactor: partitions[0]?.replicas.length ?? 0,
        configs,
      };
    },
    topicAcls: async (topic) => {
      const client = await admin();
      const answer = await client.describeAcls({
        resourceType: AclResourceTypes.TOPIC,
        resourceName: topic,
        // MATCH: the literal, prefixed and wildcard bindings that apply to this topic.
        resourcePatternType: ResourcePatternTypes.MATCH,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      return answer.resources.flatMap((resource) =>
        resource.acls.map((acl) => ({
          principal: acl.principal,
          host: acl.host,
          operation: nameOf(AclOperationTypes, acl.operation),
          permission: nameOf(AclPermissionTypes, acl.permissionType),
          resourceName: resource.resourceName,
          patternType: nameOf(ResourcePatternTypes, resource.resourcePatternType),
        })),
      );
    },
    read: (options) => {
      const reading = readTopic(kafka, options).finally(() => readers.delete(reading));
      readers.add(reading);
      return reading;
    },
    close: async () => {
      await Promise.allSettled(readers);
      const open = connected;
      connected = undefined;
      if (open !== undefined) await (await open.catch(() => undefined))?.disconnect();
    },
  };
}

/** A code's name in one of kafkajs' code tables (plain objects at run time, no reverse map). */
function nameOf(table: object, code: number): string {
  return Object.entries(table).find(([, value]) => value === code)?.[0] ?? String(code);
}

function subscribedTopics(metadata: Buffer): string[] {
  try {
    return AssignerProtocol.MemberMetadata.decode(metadata)?.topics ?? [];
  } catch {
    return [];
  }
}

/**
 * Reads with a consumer of a throwaway group (the operator's prefix, nothing committed, the
 * group deleted afterwards), seeking each partition to where the caller asked.
 */
async function readTopic(kafka: Kafka, options: ReadOptions): Promise<void> {
  const { topic, from, until, onRecord, signal } = options;
  if (signal?.aborted) return;
  const groupId = `${OPERATOR_GROUP_PREFIX}${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  const pending = new Set(
    [...(until ?? new Map<number, number>())]
      .filter(([partition, end]) => end > (from?.get(partition) ?? 0))
      .map(([partition]) => partition),
  );
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  if (until !== undefined && pending.size === 0) return;
  const onAbort = () => finish();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        for (const message of batch.messages) {
          if (!payload.isRunning() || payload.isStale()) return;
          const offset = Number(message.offset);
          // Fetched before the seek below took effect.
          if (offset < (from?.get(batch.partition) ?? 0)) continue;
          const end = until?.get(batch.partition);
          if (end !== undefined && offset >= end) break;
          onRecord({
            topic,
            partition: batch.partition,
            offset,
            timestamp: Number(message.timestamp),
            key: message.key?.toString('utf8'),
            value: message.value,
            headers: headerTexts(message.headers),
          });
          if (end !== undefined && offset + 1 >= end) {
            pending.delete(batch.partition);
            if (pending.size === 0) finish();
          }
        }
        await Promise.resolve();
      },
    });
    for (const [partition, offset] of from ?? [])
      consumer.seek({ topic, partition, offset: String(offset) });
    await finished;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => {});
    const admin = kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => {})
      .finally(() => admin.disconnect().catch(() => {}));
  }
}

function headerTexts(headers: IHeaders | undefined): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) texts[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return texts;
}
