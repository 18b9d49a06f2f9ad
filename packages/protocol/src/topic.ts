/**
 * The revocation topic's specification and a helper that creates it. Typed against the small
 * part of a Kafka admin client it uses, so this package needs no Kafka client.
 */
import { DEFAULT_CLOCK_TOLERANCE_MS, DEFAULT_MAX_EVENT_BYTES } from './codec.js';

/** Default topic name. */
export const DEFAULT_REVOCATION_TOPIC = 'auth.revocations';

/** Default partition count. At least 3, so multi-partition reading is always exercised. */
export const DEFAULT_REVOCATION_PARTITIONS = 6;

/** Options of {@link revocationTopicSpec}. */
export interface RevocationTopicOptions {
  /** Topic name. Default `auth.revocations`. */
  readonly topic?: string | undefined;
  /** Partition count, ≥ 3. Default 6. */
  readonly partitions?: number | undefined;
  /** Replication factor. Default 1 on a one-broker cluster; pass 3 in production. */
  readonly replicationFactor?: number | undefined;
  /** Longest access-token lifetime (`exp − iat`) any verifier accepts, in ms. Required. */
  readonly maxTokenLifetimeMs: number;
  /** Clock tolerance in ms. Default 5 s. */
  readonly clockToleranceMs?: number | undefined;
  /** Largest event in bytes. Default 4 KiB. */
  readonly maxEventBytes?: number | undefined;
}

/** A topic as Kafka admin clients describe one. */
export interface RevocationTopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly configEntries: ReadonlyArray<{ readonly name: string; readonly value: string }>;
}

function positiveInteger(value: number, name: string, min = 1): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/**
 * Derives the topic configuration from the token policy.
 *
 * `cleanup.policy=compact,delete`: compaction keeps the latest event per `kind:issuer:target` key, and
 * deletion drops everything older than `retention.ms`. A rule may be forgotten one token
 * lifetime (+ tolerance) after its event, so retention is twice the maximum token lifetime plus
 * the tolerance: a replaying verifier still finds every rule that can reject a live token, with
 * a margin for events published late by an outbox.
 *
 * @example
 * ```ts
 * revocationTopicSpec({ maxTokenLifetimeMs: 15 * 60_000 }).configEntries
 * ```
 */
export function revocationTopicSpec(options: RevocationTopicOptions): RevocationTopicSpec {
  const lifetime = positiveInteger(options.maxTokenLifetimeMs, 'maxTokenLifetimeMs');
  const tolerance = positiveInteger(
    options.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS,
    'clockToleranceMs',
    0,
  );
  const partitions = positiveInteger(
    options.partitions ?? DEFAULT_REVOCATION_PARTITIONS,
    'partitions',
    3,
  );
  const replicationFactor = positiveInteger(options.replicationFactor ?? 1, 'replicationFactor');
  const maxEventBytes = positiveInteger(
    options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    'maxEventBytes',
  );
  const retentionMs = 2 * lifetime + tolerance;
  return {
    topic: options.topic ?? DEFAULT_REVOCATION_TOPIC,
    numPartitions: partitions,
    replicationFactor,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact,delete' },
      { name: 'retention.ms', value: String(retentionMs) },
      // Roll segments well inside the retention window so old events are actually dropped
      // (only closed segments are deleted or compacted).
      { name: 'segment.ms', value: String(Math.max(60_000, Math.floor(retentionMs / 4))) },
      // A record batch may hold several events; the per-event limit is enforced by the codec.
      { name: 'max.message.bytes', value: String(Math.max(1_048_576, maxEventBytes)) },
      { name: 'min.insync.replicas', value: String(Math.min(2, replicationFactor)) },
    ],
  };
}

/** The part of a Kafka admin client (kafkajs' `Admin` fits) that {@link ensureRevocationTopic} uses. */
export interface RevocationTopicAdmin {
  listTopics(): Promise<string[]>;
  createTopics(options: {
    topics: Array<{
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries: Array<{ name: string; value: string }>;
    }>;
    waitForLeaders?: boolean;
  }): Promise<boolean>;
}

/**
 * Creates the revocation topic if it does not exist yet. Safe to call from every instance at
 * start: a concurrent creation by another instance counts as success.
 *
 * @returns the spec in force and whether this call created the topic.
 * @example
 * ```ts
 * const admin = kafka.admin();
 * await admin.connect();
 * await ensureRevocationTopic(admin, { maxTokenLifetimeMs: 900_000, replicationFactor: 3 });
 * ```
 */
export async function ensureRevocationTopic(
  admin: RevocationTopicAdmin,
  options: RevocationTopicOptions,
): Promise<{ readonly spec: RevocationTopicSpec; readonly created: boolean }> {
  const spec = revocationTopicSpec(options);
  const existing = await admin.listTopics();
  if (existing.includes(spec.topic)) return { spec, created: false };
  try {
    const created = await admin.createTopics({
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.numPartitions,
          replicationFactor: spec.replicationFactor,
          configEntries: spec.configEntries.map((entry) => ({ ...entry })),
        },
      ],
      waitForLeaders: true,
    });
    return { spec, created };
  } catch (error) {
    // Another instance may have created it between listTopics and createTopics.
    if ((await admin.listTopics()).includes(spec.topic)) return { spec, created: false };
    throw error;
  }
}
