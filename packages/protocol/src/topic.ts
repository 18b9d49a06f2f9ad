/**
 * The revocation topic's specification and a helper that creates it and checks the retention
 * really in force. Typed against the small part of a Kafka admin client it uses, so this
 * package needs no Kafka client.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CLOCK_TOLERANCE_MS, DEFAULT_MAX_EVENT_BYTES } from './codec.js';
import { TopicRetentionTooShortError } from './errors.js';
import {
  TOPIC_RETENTION_CONFIG_NAMES,
  checkTopicRetention,
  describedTopic,
  recommendedTopicRetentionMs,
} from './topic-retention.js';
import type { DescribeTopicConfigsAnswer, SufficientTopicRetention } from './topic-retention.js';

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
 * deletion drops everything older than `retention.ms`. A rule may be needed up to one token
 * lifetime + 2 × tolerance after its record (see `minimumTopicRetentionMs`), so retention is
 * twice the maximum token lifetime plus the tolerance (`recommendedTopicRetentionMs`): a
 * replaying verifier still finds every rule that can reject a live token, with a margin for
 * events published late by an outbox.
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
  const retentionMs = recommendedTopicRetentionMs({
    maxTokenLifetimeMs: lifetime,
    clockToleranceMs: tolerance,
  });
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

/** DescribeConfigs' resource type of a topic (Kafka's `ConfigResource.Type.TOPIC`). */
const TOPIC_RESOURCE = 2 as const;

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
  /** Reads topic configurations; needs the DescribeConfigs ACL on the topic. */
  describeConfigs(request: {
    resources: Array<{ type: 2; name: string; configNames?: string[] }>;
    includeSynonyms: boolean;
  }): Promise<DescribeTopicConfigsAnswer>;
}

/** What {@link ensureRevocationTopic} found. */
export interface EnsuredRevocationTopic {
  /** The spec asked for: what the topic was created with, when this call created it. */
  readonly spec: RevocationTopicSpec;
  /** Whether this call created the topic. */
  readonly created: boolean;
  /** The cleanup settings really in force, read back from the broker, and judged sufficient. */
  readonly inForce: SufficientTopicRetention;
}

/**
 * Creates the revocation topic if it does not exist yet, then reads back the cleanup settings
 * in force and checks them against the token policy (`checkTopicRetention`): an existing topic
 * keeps the settings it has, whatever the spec says. Safe to call from every instance at
 * start: a concurrent creation by another instance counts as success.
 *
 * @returns the spec, whether this call created the topic, and the settings in force.
 * @throws {@link TopicRetentionTooShortError} when the topic may delete rules too early.
 * @example
 * ```ts
 * const admin = kafka.admin();
 * await admin.connect();
 * const { inForce } = await ensureRevocationTopic(admin, { maxTokenLifetimeMs: 900_000, replicationFactor: 3 });
 * ```
 */
export async function ensureRevocationTopic(
  admin: RevocationTopicAdmin,
  options: RevocationTopicOptions,
): Promise<EnsuredRevocationTopic> {
  const spec = revocationTopicSpec(options);
  const created = await createIfMissing(admin, spec);
  const answer = await describeTopic(admin, spec.topic, created);
  const verdict = checkTopicRetention(describedTopic(answer, spec.topic), {
    maxTokenLifetimeMs: options.maxTokenLifetimeMs,
    clockToleranceMs: options.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS,
  });
  if (!verdict.sufficient) throw new TopicRetentionTooShortError(verdict);
  return { spec, created, inForce: verdict };
}

async function createIfMissing(
  admin: RevocationTopicAdmin,
  spec: RevocationTopicSpec,
): Promise<boolean> {
  const existing = await admin.listTopics();
  if (existing.includes(spec.topic)) return false;
  try {
    return await admin.createTopics({
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
  } catch (error) {
    // Another instance may have created it between listTopics and createTopics.
    if ((await admin.listTopics()).includes(spec.topic)) return false;
    throw error;
  }
}

/** Attempts at describing a topic this call has just created; see {@link describeTopic}. */
const DESCRIBE_ATTEMPTS_AFTER_CREATE = 10;
const DESCRIBE_RETRY_MS = 200;

/**
 * Reads the topic's cleanup settings. A topic created a moment ago may not be known yet to the
 * broker asked (on a multi-node cluster it answers UNKNOWN_TOPIC_OR_PARTITION until its
 * metadata catches up), so a fresh topic gets a few attempts.
 */
async function describeTopic(
  admin: RevocationTopicAdmin,
  topic: string,
  created: boolean,
): Promise<DescribeTopicConfigsAnswer> {
  const request = {
    resources: [
      { type: TOPIC_RESOURCE, name: topic, configNames: [...TOPIC_RETENTION_CONFIG_NAMES] },
    ],
    includeSynonyms: false,
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await admin.describeConfigs(request);
    } catch (error) {
      if (!created || attempt >= DESCRIBE_ATTEMPTS_AFTER_CREATE) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(
          `describing the configuration of revocation topic ${topic} failed (reading its retention needs the DescribeConfigs ACL on the topic): ${reason}`,
          { cause: error },
        );
      }
      await sleep(DESCRIBE_RETRY_MS);
    }
  }
}
