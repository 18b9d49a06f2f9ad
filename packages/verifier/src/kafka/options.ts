import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import type {
  KafkaConnection,
  KafkaConnectionOptions,
  KafkaSasl,
} from '@revocation-fabric/kafka-connection';
import { DEFAULT_REVOCATION_TOPIC } from '@revocation-fabric/protocol';
import { resolve as resolvePath } from 'node:path';
import { describe, validateDuration, validateOptionalString } from '../lib/validate.js';

/** Default Kafka client id. */
export const DEFAULT_KAFKA_CLIENT_ID = 'revocation-verifier';

/** @deprecated The name `KafkaSasl` had here before it was shared; use that. */
export type KafkaSaslOptions = KafkaSasl;

/**
 * Options of `kafkaRevocations`: the connection, the fabric's one definition (`brokers`, `tls`,
 * `sasl`, `connectionTimeoutMs` — default 3000 ms), and which topics to read.
 */
export interface KafkaRevocationsOptions extends KafkaConnectionOptions {
  /**
   * The revocation topic, when the feed reads one. Default `auth.revocations`. Give `topics`
   * instead to read several (one per producer); not both.
   */
  readonly topic?: string | undefined;
  /**
   * The revocation topics, one per producer (the user-service's, the gateway's…): each is
   * written by one Kafka principal, and each trusted issuer's `revocations.sources` names
   * the topics allowed to speak for it. Default `[topic]`.
   */
  readonly topics?: readonly string[] | undefined;
  /**
   * Kafka client id, also the prefix of this instance's consumer group id
   * (`${clientId}-${uuid}`). Default `revocation-verifier`.
   */
  readonly clientId?: string | undefined;
  /**
   * Keep snapshots of the blocklist in a directory, so a start replays only what came after
   * the last one instead of the whole topic (1M rules: well under 2 s instead of ~8). Default:
   * none, every start replays in full. See {@link SnapshotOptions}.
   */
  readonly snapshot?: SnapshotOptions | undefined;
  /**
   * Receipts: the applied position committed as this verifier's consumer group offsets, so
   * operators see which live verifiers have applied an event (`revocation-fabric status`, the
   * user-service's `Prefer: wait=applied`). Nothing while idle; at most one commit per
   * `intervalMs` while events flow, the first at once. `false` turns them off (the verifier
   * then counts as a laggard for every event). Default `{ intervalMs: 1000 }`.
   */
  readonly receipts?: false | ReceiptOptions | undefined;
}

/** How often a verifier may commit its applied position (see `receipts`). */
export interface ReceiptOptions {
  /** Least time between two commits, ms. Default 1000; at least 10. */
  readonly intervalMs?: number | undefined;
}

/** Default {@link ReceiptOptions.intervalMs}. */
export const DEFAULT_RECEIPT_INTERVAL_MS = 1_000;

/**
 * Where and how often the feed saves snapshots. A snapshot records the exact offsets it
 * reflects; a start uses it only if it was taken of the same cluster and topics by a verifier
 * trusting the same issuers the same way, and only once the last record it reflects in each
 * partition is read back unchanged — otherwise it replays in full. Verifiers of one service may
 * share the directory (a node-local volume): each file is replaced whole, never written in
 * place. Whoever can write the directory can hide revocations from the next start: give it the
 * permissions of the service's own data.
 */
export interface SnapshotOptions {
  /** The directory, created if missing. */
  readonly directory: string;
  /**
   * How often a ready verifier saves a snapshot (if anything was applied since the last), in
   * ms; it also saves one when it closes. Default 300000 (5 minutes). At least 1000.
   */
  readonly intervalMs?: number | undefined;
}

/** {@link SnapshotOptions} with every default filled in. */
export interface ResolvedSnapshotOptions {
  /** Absolute. */
  readonly directory: string;
  readonly intervalMs: number;
}

/** Default {@link SnapshotOptions.intervalMs}. */
export const DEFAULT_SNAPSHOT_INTERVAL_MS = 300_000;

/** {@link KafkaRevocationsOptions} with every default filled in. */
export interface ResolvedKafkaOptions extends KafkaConnection {
  /** The topics read, at least one, each once. */
  readonly topics: readonly string[];
  /** Snapshots, when kept. */
  readonly snapshot?: ResolvedSnapshotOptions | undefined;
  /** Least time between two receipts (commits), ms; `false` when off. */
  readonly receiptIntervalMs: number | false;
}

function validateReceipts(value: unknown): number | false {
  if (value === false) return false;
  if (value === undefined) return DEFAULT_RECEIPT_INTERVAL_MS;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`kafka.receipts must be false or an object, got ${describe(value)}`);
  const { intervalMs } = value as Record<string, unknown>;
  return validateDuration(intervalMs, DEFAULT_RECEIPT_INTERVAL_MS, 'kafka.receipts.intervalMs', 10);
}

function validateSnapshot(value: unknown): ResolvedSnapshotOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new TypeError(`kafka.snapshot must be an object, got ${describe(value)}`);
  const { directory, intervalMs } = value as Record<string, unknown>;
  if (typeof directory !== 'string' || directory.trim() === '')
    throw new TypeError(
      `kafka.snapshot.directory must be a non-empty path, got ${describe(directory)}`,
    );
  return {
    directory: resolvePath(directory),
    intervalMs: validateDuration(
      intervalMs,
      DEFAULT_SNAPSHOT_INTERVAL_MS,
      'kafka.snapshot.intervalMs',
      1_000,
    ),
  };
}

function validateTopics(topic: unknown, topics: unknown): readonly string[] {
  if (topics === undefined)
    return [validateOptionalString(topic, DEFAULT_REVOCATION_TOPIC, 'kafka.topic')];
  if (topic !== undefined) throw new TypeError('kafka.topic and kafka.topics: give one, not both');
  if (
    !Array.isArray(topics) ||
    topics.length === 0 ||
    !topics.every((t) => typeof t === 'string' && t.length > 0)
  ) {
    throw new TypeError(
      `kafka.topics must be a non-empty array of topic names, got ${describe(topics)}`,
    );
  }
  const unique = new Set(topics as string[]);
  if (unique.size !== topics.length)
    throw new TypeError(`kafka.topics names a topic twice: ${describe(topics)}`);
  return Object.freeze([...unique]);
}

/**
 * Checks the Kafka options once and fills in the defaults: the connection by kafka-connection's
 * `resolveKafkaConnection`, the topics here.
 *
 * @throws TypeError naming the first option at fault (`kafka.brokers`, …): a `KafkaOptionError`
 *   for the connection's options.
 */
export function resolveKafkaOptions(value: unknown): ResolvedKafkaOptions {
  const connection = resolveKafkaConnection(value, { defaultClientId: DEFAULT_KAFKA_CLIENT_ID });
  const { topic, topics } = value as { readonly topic?: unknown; readonly topics?: unknown };
  const { snapshot } = value as { readonly snapshot?: unknown };
  const resolvedSnapshot = validateSnapshot(snapshot);
  const { receipts } = value as { readonly receipts?: unknown };
  return {
    ...connection,
    topics: validateTopics(topic, topics),
    receiptIntervalMs: validateReceipts(receipts),
    ...(resolvedSnapshot === undefined ? {} : { snapshot: resolvedSnapshot }),
  };
}
