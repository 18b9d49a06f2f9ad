/**
 * The feed's client adapter over kafkajs: the only file of the package that imports the Kafka
 * client. It translates and decides nothing: it creates consumers and admins as the feed's
 * interfaces (`client.ts`) describe them and maps kafkajs' events and batches into them.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, EachBatchPayload, IHeaders, KafkaMessage, LogEntry } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import {
  REVOCATION_SIGNATURE_HEADER,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
} from '@revocation-fabric/protocol';
import type { VerifierLogger } from '../logger.js';
import type { ConsumerEvents, FeedClient, FeedConsumer, FeedConsumerOptions } from './client.js';
import type { PartitionOffsets, RecordBatch } from './client.js';
import type { ResolvedKafkaOptions } from './options.js';
import type { RevocationRecord } from './record-delivery.js';
import { topicRetentionRequest } from './topic-retention.js';

/** Options of {@link kafkajsClient}. */
export interface KafkajsClientOptions extends ResolvedKafkaOptions {
  /** Receives kafkajs' own log lines (errors and warnings as warnings, the rest as debug). */
  readonly logger: VerifierLogger;
  /** How long one fetch may wait at the broker, ms (see fetch-wait.ts). */
  readonly fetchWaitMs: number;
}

/** kafkajs' retries of a request (and of a consumer's restart after a retriable failure). */
const RETRY = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 } as const;

/**
 * A {@link FeedClient} over kafkajs.
 *
 * @example
 * ```ts
 * const client = kafkajsClient({ ...resolveKafkaOptions(options), logger, fetchWaitMs: 2_500 });
 * const admin = client.admin();
 * ```
 */
export function kafkajsClient(options: KafkajsClientOptions): FeedClient {
  const settings = {
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.tls === undefined ? {} : { ssl: options.tls }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    connectionTimeout: options.connectionTimeoutMs,
    retry: RETRY,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogger(options.logger),
  };
  // kafkajs enforces request timeouts with a 100 ms interval timer per open connection: the
  // largest idle cost left once fetches long-poll (B7). The consumer does without: a fetch
  // that never returns stops contact, the verifier goes stale and the broker watch replaces
  // the consumer once the broker answers a probe. The admin is connected only around start
  // and close, where a hung request must fail by itself.
  // kafkajs 2.2.4 also re-arms a 1 ms timer on every idle connection (kafkajs #1556): mended
  // here, in the package's one kafkajs file, so every installation gets it, not only ours.
  fixKafkajsIdleTimer(import.meta.url);
  const consumerKafka = new Kafka({ ...settings, enforceRequestTimeout: false });
  const adminKafka = new Kafka(settings);
  const topics = options.topics;
  return {
    consumer: (consumerOptions) =>
      kafkajsConsumer(consumerKafka, topics, options.fetchWaitMs, consumerOptions),
    admin: ({ retries } = {}) => {
      const admin = adminKafka.admin(retries === undefined ? undefined : { retry: { retries } });
      return {
        connect: () => admin.connect(),
        partitionOffsets: async () => {
          const perTopic = await Promise.all(
            topics.map(async (topic) =>
              (await admin.fetchTopicOffsets(topic)).map(
                ({ partition, low, high }): PartitionOffsets => ({
                  topic,
                  partition,
                  low: Number(low),
                  high: Number(high),
                }),
              ),
            ),
          );
          return perTopic.flat();
        },
        clusterId: async () => (await admin.describeCluster()).clusterId,
        describeRetention: () => admin.describeConfigs(topicRetentionRequest(topics)),
        deleteGroups: async (groupIds) => {
          await admin.deleteGroups([...groupIds]);
        },
        disconnect: () => admin.disconnect(),
      };
    },
  };
}

function kafkajsConsumer(
  kafka: Kafka,
  topics: readonly string[],
  fetchWaitMs: number,
  { groupId, events, mayRestart }: FeedConsumerOptions,
): FeedConsumer {
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: fetchWaitMs,
    minBytes: 1,
    allowAutoTopicCreation: false,
    // kafkajs restarts the consumer itself after retriable failures (broker down, leader
    // moved), when the feed lets it; it reports the ones it gives up on as a crash.
    retry: { ...RETRY, restartOnFailure: () => Promise.resolve(mayRestart()) },
  });
  forwardEvents(consumer, events);
  return {
    connect: () => consumer.connect(),
    subscribe: () => consumer.subscribe({ topics: [...topics], fromBeginning: true }),
    run: () =>
      consumer.run({
        // Offsets are committed only as receipts (applied-receipts.ts), by the feed, never read
        // back: the blocklist lives in memory and is rebuilt by replay.
        autoCommit: false,
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => events.batch(recordBatch(payload)),
      }),
    commitOffsets: (positions) =>
      consumer.commitOffsets(
        positions.map(({ topic, partition, offset }) => ({
          topic,
          partition,
          offset: String(offset),
        })),
      ),
    disconnect: () => consumer.disconnect(),
  };
}

function forwardEvents(consumer: Consumer, events: ConsumerEvents): void {
  const on = consumer.events;
  const contact = () => events.contact();
  consumer.on(on.FETCH, contact);
  consumer.on(on.HEARTBEAT, contact);
  consumer.on(on.GROUP_JOIN, () =>
    events.joined(({ topic, partition, offset }) =>
      consumer.seek({ topic, partition, offset: String(offset) }),
    ),
  );
  consumer.on(on.START_BATCH_PROCESS, ({ payload }) =>
    events.batchStarting(payload.topic, payload.partition, Number(payload.highWatermark)),
  );
  consumer.on(on.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize === 0)
      events.emptyBatchEnded(payload.topic, payload.partition, Number(payload.lastOffset));
  });
  consumer.on(on.CRASH, ({ payload }) => events.crashed(payload.error, payload.restart));
}

function recordBatch(payload: EachBatchPayload): RecordBatch {
  // kafkajs declares the payload's functions as methods; they are called through it.
  const { batch } = payload;
  const { topic, partition } = batch;
  return {
    topic,
    partition,
    highWatermark: Number(batch.highWatermark),
    records: batch.messages.map((message) => revocationRecord(topic, partition, message)),
    active: () => payload.isRunning() && !payload.isStale(),
    resolveOffset: (offset) => payload.resolveOffset(String(offset)),
    heartbeat: () => payload.heartbeat(),
  };
}

function revocationRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
): RevocationRecord {
  return {
    value: message.value,
    timestamp: message.timestamp,
    signature: headerText(message.headers?.[REVOCATION_SIGNATURE_HEADER]),
    traceparent: headerText(message.headers?.[TRACEPARENT_HEADER]),
    tracestate: headerText(message.headers?.[TRACESTATE_HEADER]),
    topic,
    partition,
    offset: Number(message.offset),
  };
}

/** A header's value as text; a repeated header (an array) counts as absent, never as valid. */
function headerText(value: IHeaders[string]): string | undefined {
  if (value === undefined || Array.isArray(value)) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

function kafkaLogger(logger: VerifierLogger): () => (entry: LogEntry) => void {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      const obj = { kafkajs: namespace, ...fields };
      // kafkajs reports every failed attempt it is about to retry as an ERROR; the feed retries
      // too and reports what matters itself (cannot start, stale), so these are warnings.
      // Its INFO is chatty (every join, every connect): debug.
      if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(obj, message);
      else logger.debug(obj, message);
    };
}
