/**
 * The Kafka implementation of {@link RevocationPublisher} — the one file of the package that
 * imports the Kafka client (kafkajs). An idempotent producer with acks=all and one request in
 * flight, so the client's own retries neither duplicate nor reorder records within a session;
 * after a failed send the producer is dropped and the next publish starts afresh, because a
 * failed producer may hold a broken connection or idempotence state.
 */
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import type { LogEntry, Producer } from 'kafkajs';
import { probeBrokers, resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import {
  DEFAULT_REVOCATION_TOPIC,
  TopicRetentionTooShortError,
  ensureRevocationTopic,
} from '@revocation-fabric/protocol';
import { PublishFailedError, TopicSetupError } from '../errors.js';
import { silentLogger } from '../logger.js';
import type { RevocationMessage, RevocationPublisher } from '../revocation-publisher.js';
import { traceSend } from '../tracing/tracing.js';
import type { KafkaPublisherOptions } from './options.js';

/** Deadline of one reachability probe (connect + ApiVersions answer), ms. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * A publisher that writes to a Kafka topic.
 *
 * @example
 * ```ts
 * const publisher = kafkaPublisher({
 *   brokers: ['kafka-1:9093'],
 *   topic: 'auth.revocations',
 *   tls: true,
 *   sasl: { mechanism: 'scram-sha-512', username: 'auth-service', password },
 * });
 * ```
 */
export function kafkaPublisher(options: KafkaPublisherOptions): RevocationPublisher {
  const connection = resolveKafkaConnection(options, { defaultClientId: 'revocation-publisher' });
  const topic = options.topic ?? DEFAULT_REVOCATION_TOPIC;
  const logger = options.logger ?? silentLogger;
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const retry = { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 };
  // kafkajs 2.2.4 re-arms a 1 ms timer on every idle connection (kafkajs #1556); mended here, in
  // the package's one kafkajs file, so that every installation of the package gets the fix.
  fixKafkajsIdleTimer(import.meta.url);
  const client = new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.tls === undefined ? {} : { ssl: connection.tls }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
    connectionTimeout: connection.connectionTimeoutMs,
    requestTimeout,
    // The relay has its own backoff loop; the client's retries only cover short blips.
    retry,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      // kafkajs reports every reconnect attempt as an error; the relay's failure log is enough.
      logger.debug({ component: 'kafkajs', namespace: entry.namespace, ...extra }, message);
    },
  });
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let topicReady = options.createTopic === undefined;
  // The topic's retention as the last check found it: too short, or fine (undefined).
  let retentionProblem: TopicRetentionTooShortError | undefined;
  let retentionReported: TopicRetentionTooShortError | undefined;

  async function ensureTopic(): Promise<void> {
    const creation = options.createTopic;
    if (creation === undefined) return;
    const admin = client.admin();
    try {
      await admin.connect();
      const { created, inForce } = await ensureRevocationTopic(admin, { topic, ...creation });
      if (created) logger.info({ topic }, 'revocation topic created');
      logger.debug(
        { topic, cleanupPolicy: inForce.cleanupPolicy, retentionMs: inForce.retentionMs },
        'revocation topic retention checked',
      );
      retentionProblem = undefined;
    } catch (cause) {
      if (cause instanceof TopicRetentionTooShortError) {
        retentionProblem = cause;
        return;
      }
      throw new TopicSetupError({ topic, cause });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  async function open(): Promise<Producer> {
    if (producer !== undefined) return producer;
    if (!topicReady) {
      await ensureTopic();
      // A topic found too short is checked again on the next connection, so an operator's fix
      // is noticed without a restart.
      topicReady = retentionProblem === undefined;
    }
    const fresh = client.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning by key, like every other Kafka client.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry,
    });
    try {
      await fresh.connect();
    } catch (error) {
      await fresh.disconnect().catch(() => undefined);
      throw error;
    }
    producer = fresh;
    return fresh;
  }

  // One connection attempt at a time, shared by connect() and publish().
  function connected(): Promise<Producer> {
    connecting ??= open().finally(() => {
      connecting = undefined;
    });
    return connecting;
  }

  async function drop(): Promise<void> {
    const current = producer;
    producer = undefined;
    if (current !== undefined) await current.disconnect().catch(() => undefined);
  }

  // Publishing to a topic whose retention is too short still gets every rule to the verifiers
  // that are up; holding the events back would keep them from all verifiers. So only connect()
  // refuses (a service start fails), and publish() says so in the log, once per check.
  function reportRetention(): void {
    const problem = retentionProblem;
    if (problem === undefined || problem === retentionReported) return;
    retentionReported = problem;
    logger.error(
      { err: problem, code: problem.code, topic, fix: problem.verdict.fix },
      'publishing to a revocation topic whose retention is too short: verifiers that restart may miss rules',
    );
  }

  return {
    async connect() {
      await connected();
      const problem = retentionProblem;
      if (problem !== undefined) {
        // A refused connect leaves nothing open; a later publish connects (and checks) afresh.
        await drop();
        throw problem;
      }
    },
    async publish(messages: readonly RevocationMessage[]) {
      if (messages.length === 0) return;
      try {
        const ready = await connected();
        reportRetention();
        await traceSend(topic, messages, () =>
          ready.send({
            topic,
            acks: -1,
            timeout: requestTimeout,
            messages: messages.map((m) => ({
              key: m.key,
              value: m.value,
              headers: { ...m.headers, 'event-id': m.eventId },
            })),
          }),
        );
      } catch (cause) {
        await drop();
        if (cause instanceof TopicSetupError) throw cause;
        throw new PublishFailedError({ events: messages.length, topic, cause });
      }
    },
    // Raw ApiVersions, not the client: answered before authentication, no client state to
    // reset, and nothing but a refused connect while the broker is down (see broker-probe.ts).
    probe: () =>
      probeBrokers({
        brokers: connection.brokers,
        tls: connection.tls,
        timeoutMs: PROBE_TIMEOUT_MS,
      }),
    close: drop,
  };
}
