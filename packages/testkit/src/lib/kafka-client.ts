/**
 * The testkit's only Kafka client (kafkajs). Everything the testkit offers that talks to a
 * broker goes through the small functions here, so tests across the repository read and write
 * topics without importing a Kafka client of their own, and replacing the client touches one
 * file. Nothing here imitates a broker: every call goes to the real one.
 */
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import type { KafkaConnectionOptions } from '@revocation-fabric/kafka-connection';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import type { Admin } from 'kafkajs';
import { waitFor } from '../wait-for.js';

/**
 * Options of a client the testkit opens: the fabric's connection settings (`sasl` — a secured
 * cluster's principal, see `startSecureKafka`; default none —, `tls`, default plaintext) and the
 * testkit's own.
 */
export interface ClientOptions extends Pick<KafkaConnectionOptions, 'sasl' | 'tls'> {
  /** kafkajs client id, shown in broker logs. */
  readonly clientId: string;
  /** Connection timeout, ms. Default: kafkajs' (1 000). */
  readonly connectionTimeoutMs?: number | undefined;
  /** Retries per request. Default: kafkajs' (5). */
  readonly retries?: number | undefined;
  /** Longest wait between retries, ms. Default: kafkajs' (30 000). */
  readonly maxRetryTimeMs?: number | undefined;
}

// Retriable trouble (a coordinator still loading, a leader moving) is logged by kafkajs at
// ERROR; real failures surface as rejected calls, so tests stay quiet.
function client(brokers: readonly string[], options: ClientOptions): Kafka {
  fixKafkajsIdleTimer(import.meta.url); // kafkajs #1556: the 1 ms timer loop of idle connections
  const { clientId, tls, sasl } = options;
  const connection = resolveKafkaConnection(
    { brokers, clientId, tls, sasl, connectionTimeoutMs: options.connectionTimeoutMs },
    { defaultClientId: clientId, name: 'testkit' },
  );
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    logLevel: logLevel.NOTHING,
    ...(connection.tls === undefined ? {} : { ssl: connection.tls }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
    // kafkajs' own default (1 s) unless the test asks: a connection here is local.
    ...(options.connectionTimeoutMs === undefined
      ? {}
      : { connectionTimeout: connection.connectionTimeoutMs }),
    retry: {
      ...(options.retries === undefined ? {} : { retries: options.retries }),
      ...(options.maxRetryTimeMs === undefined
        ? {}
        : { initialRetryTime: 200, maxRetryTime: options.maxRetryTimeMs }),
    },
  });
}

/** Runs `action` with a connected admin client and disconnects it afterwards. */
export async function withAdmin<T>(
  brokers: readonly string[],
  options: ClientOptions,
  action: (admin: Admin) => Promise<T>,
): Promise<T> {
  const admin = client(brokers, options).admin();
  try {
    await admin.connect();
    return await action(admin);
  } finally {
    await admin.disconnect();
  }
}

/** One record to write. */
export interface OutgoingRecord {
  readonly key?: string | Buffer | null | undefined;
  readonly value: string | Buffer | null;
  /** Record timestamp, ms since the epoch. Default: the producer's clock. */
  readonly timestamp?: number | undefined;
  /** Record headers (a brake's `revocation-signature`, say). Default: none. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The partition to write to — the one an earlier record landed in, say, so that a consumer
   * reading this one has read past that one. Default: by key (murmur2, as Java clients).
   */
  readonly partition?: number | undefined;
}

/** Where the broker stored a written record. */
export interface RecordAck {
  readonly partition: number;
  /** Offset of the first record of the batch in that partition, as a decimal string. */
  readonly baseOffset: string;
}

/** A connected idempotent producer (acks=all by default). */
export interface TopicWriter {
  /** Writes `records` and resolves with the broker's acknowledgements, one per partition. */
  send(
    topic: string,
    records: readonly OutgoingRecord[],
    options?: { readonly acks?: -1 | 0 | 1 },
  ): Promise<RecordAck[]>;
  /** Disconnects. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openTopicWriter}. */
export interface TopicWriterOptions extends ClientOptions {
  /**
   * Idempotent producer (InitProducerId first, which an authorizer checks as WRITE on some
   * topic). `false` sends plain Produce requests, as a non-idempotent client would. Default: true.
   */
  readonly idempotent?: boolean | undefined;
}

/**
 * Opens a producer (idempotent unless told otherwise) that keeps keys on their default partitions.
 *
 * @example
 * ```ts
 * const writer = await openTopicWriter(brokers, { clientId: 'my-test' });
 * await writer.send(topic, [{ key: event.key, value: event.value }]);
 * await writer.close();
 * ```
 */
export async function openTopicWriter(
  brokers: readonly string[],
  options: TopicWriterOptions,
): Promise<TopicWriter> {
  const producer = client(brokers, options).producer({
    idempotent: options.idempotent ?? true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  let closed: Promise<void> | undefined;
  return {
    send: async (topic, records, sendOptions = {}) => {
      const metadata = await producer.send({
        topic,
        acks: sendOptions.acks ?? -1,
        messages: records.map((record) => ({
          key: record.key ?? null,
          value: record.value,
          ...(record.timestamp === undefined ? {} : { timestamp: String(record.timestamp) }),
          ...(record.headers === undefined ? {} : { headers: { ...record.headers } }),
          ...(record.partition === undefined ? {} : { partition: record.partition }),
        })),
      });
      return metadata.map((m) => ({ partition: m.partition, baseOffset: m.baseOffset ?? '-1' }));
    },
    close: () => (closed ??= producer.disconnect()),
  };
}

/** One record read back. */
export interface TopicRecord {
  readonly partition: number;
  /** Offset as a decimal string. */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Record timestamp, ms since the epoch. */
  readonly timestamp: number;
}

/** A consumer with a group of its own, collecting every record of one topic from its start. */
export interface TopicReader {
  /** Every record read so far, in arrival order (per partition: offset order). */
  readonly records: readonly TopicRecord[];
  /** Resolves once every record on the topic when called has been read. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Disconnects. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startTopicReader}. */
export interface TopicReaderOptions extends ClientOptions {
  /** Consumer group id; one of its own per reader. */
  readonly groupId: string;
  /** Receives each record as it arrives; must not throw. */
  readonly onRecord?: ((record: TopicRecord) => void) | undefined;
}

/**
 * Subscribes to `topic` from its beginning and collects every record.
 *
 * @example
 * ```ts
 * const reader = await startTopicReader(brokers, topic, { clientId: 'tap', groupId: uniqueTopic('tap') });
 * await waitFor(() => reader.records.length >= 10);
 * await reader.close();
 * ```
 */
export async function startTopicReader(
  brokers: readonly string[],
  topic: string,
  options: TopicReaderOptions,
): Promise<TopicReader> {
  const consumer = client(brokers, options).consumer({
    groupId: options.groupId,
    // Tests wait on what arrives: answer as soon as a record is there.
    maxWaitTimeInMs: 100,
  });
  const records: TopicRecord[] = [];
  const nextOffset = new Map<number, bigint>();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      const record: TopicRecord = {
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        timestamp: Number(message.timestamp),
      };
      records.push(record);
      nextOffset.set(partition, BigInt(message.offset) + 1n);
      options.onRecord?.(record);
      return Promise.resolve();
    },
  });
  let closed: Promise<void> | undefined;
  return {
    records,
    caughtUp: async (timeoutMs = 30_000) => {
      const ends = await withAdmin(brokers, options, (admin) => admin.fetchTopicOffsets(topic));
      await waitFor(
        () =>
          ends.every(({ partition, high }) => (nextOffset.get(partition) ?? 0n) >= BigInt(high)),
        { timeoutMs, description: `every record of ${topic}` },
      );
    },
    close: () => (closed ??= consumer.disconnect()),
  };
}
