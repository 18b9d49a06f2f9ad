/**
 * The bench's one kafkajs file: revocation topics, topics filled with many live rules, the
 * propagation benchmark's direct producer, the bare consumer the cold-start benchmark measures
 * the verifier against and the kafkajs arm of the client-choice benchmark (its
 * @platformatic/kafka arm is `platformatic-kafka.ts`). The rest of bench/ reaches Kafka through these
 * functions. It imports nothing of the testkit, so the cold-start worker, which reports its
 * heap, loads no more than before these functions moved here: the Kafka client and the protocol.
 */
import { randomUUID } from 'node:crypto';
import { ensureRevocationTopic } from '@revocation-fabric/protocol';
import type { RuleKind } from '@revocation-fabric/protocol';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { LogEntry } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import { cutoffRecords, kindAt, ruleRecord, templates } from './rule-records.js';
import type { RuleRecord } from './rule-records.js';
import { ReplayTracker, WarningLog } from './broadcast-consumer.js';
import type { BroadcastConsumer, BroadcastConsumerOptions } from './broadcast-consumer.js';
import { resolveKafkaConnection } from '@revocation-fabric/kafka-connection';
import type { KafkaSecurity } from '@revocation-fabric/service-runtime';
import { kafkaSecurityFromEnvironment } from '@revocation-fabric/service-runtime';

/**
 * How a bench client reaches the brokers, in kafkajs' option names: the environment's
 * credentials (`KAFKA_SASL_*`, `KAFKA_TLS*`, read as the services read them), checked and copied
 * as the verifier's feed checks its own.
 */
function clientConnection(brokers: readonly string[], clientId: string) {
  const connection = resolveKafkaConnection(
    { brokers, clientId, ...feedSecurity() },
    { defaultClientId: clientId, name: 'bench kafka' },
  );
  return {
    clientId: connection.clientId,
    brokers: connection.brokers,
    ...(connection.tls === undefined ? {} : { ssl: connection.tls }),
    ...(connection.sasl === undefined ? {} : { sasl: connection.sasl }),
  };
}

/**
 * The same credentials as the verifier's Kafka feed takes them: spread into
 * `kafkaRevocations({ …, ...feedSecurity() })` in every worker.
 */
export function feedSecurity(): KafkaSecurity {
  const { sasl, tls } = kafkaSecurityFromEnvironment(process.env);
  return { ...(sasl === undefined ? {} : { sasl }), ...(tls === undefined ? {} : { tls }) };
}

export { RULE_MIX } from './rule-records.js';
export type { RuleRecord } from './rule-records.js';

/** The verifier's default maximum token lifetime, ms; topic retention derives from it. */
export const MAX_TOKEN_LIFETIME_MS = 900_000;

function client(brokers: readonly string[], clientId: string): Kafka {
  fixKafkajsIdleTimer(import.meta.url); // kafkajs #1556: the 1 ms timer loop of idle connections
  return new Kafka({ ...clientConnection(brokers, clientId), logLevel: logLevel.NOTHING });
}

/** Creates a revocation topic (6 partitions, the protocol's configuration). */
export async function createRevocationTopic(
  brokers: readonly string[],
  topic: string,
  replicationFactor = 1,
): Promise<void> {
  const admin = client(brokers, 'bench-admin').admin();
  await admin.connect();
  try {
    await ensureRevocationTopic(admin, {
      topic,
      maxTokenLifetimeMs: MAX_TOKEN_LIFETIME_MS,
      replicationFactor,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics, ignoring failures (cleanup). */
export async function deleteTopics(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<void> {
  if (topics.length === 0) return;
  const admin = client(brokers, 'bench-admin').admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: [...topics], timeout: 30_000 });
  } catch {
    // Best effort: a leftover topic only costs the broker disk until its retention ends.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The ids of every consumer group the cluster's coordinators know (admin ListGroups). */
export async function listGroupIds(brokers: readonly string[]): Promise<string[]> {
  const admin = client(brokers, 'bench-admin').admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    return groups.map((group) => group.groupId);
  } finally {
    await admin.disconnect();
  }
}

/** A topic holding `count` live rules. */
export interface RuleTopic {
  readonly topic: string;
  readonly count: number;
  readonly byKind: Readonly<Partial<Record<RuleKind, number>>>;
  /** Time to produce it, ms. */
  readonly loadMs: number;
}

/**
 * Creates `topic` and produces `count` live rules into it: the {@link RULE_MIX}, plus the two
 * past cutoffs of `cutoffRecords`, so a benchmark token's lookup walks every map and evaluates
 * both cutoffs without being rejected.
 */
export async function fillRuleTopic(
  brokers: readonly string[],
  topic: string,
  count: number,
): Promise<RuleTopic> {
  await createRevocationTopic(brokers, topic);
  const started = performance.now();
  const now = Date.now();
  const template = templates(now);
  const special = await cutoffRecords(now);
  const producer = client(brokers, 'bench-loader').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const byKind: Partial<Record<RuleKind, number>> = { subject: 1, global: 1 };
  try {
    await producer.send({ topic, acks: -1, messages: special });
    const bulk = count - special.length;
    const CHUNK = 2_000;
    const IN_FLIGHT = 4;
    let pending: Promise<unknown>[] = [];
    for (let start = 0; start < bulk; start += CHUNK) {
      const messages: RuleRecord[] = [];
      for (let i = start; i < Math.min(bulk, start + CHUNK); i++) {
        const kind = kindAt(i);
        messages.push(ruleRecord(template, kind));
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      // acks=-1 so every record is below the high-water mark before anyone times a replay.
      pending.push(
        producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages }),
      );
      if (pending.length >= IN_FLIGHT) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
  return { topic, count, byKind, loadMs: Math.round(performance.now() - started) };
}

/** A plain producer (no idempotence, kafkajs' defaults), connected when asked. */
export interface RecordProducer {
  connect(): Promise<void>;
  /** Sends `records` with acks=all; resolves once the broker acknowledged them all. */
  send(topic: string, records: readonly RuleRecord[]): Promise<void>;
  disconnect(): Promise<void>;
}

/** A producer that never creates a topic by writing to it; nothing connects until `connect()`. */
export function recordProducer(brokers: readonly string[], clientId: string): RecordProducer {
  const producer = client(brokers, clientId).producer({ allowAutoTopicCreation: false });
  return {
    connect: () => producer.connect(),
    send: async (topic, records) => {
      await producer.send({ topic, acks: -1, messages: [...records] });
    },
    disconnect: () => producer.disconnect(),
  };
}

/** What {@link bareReplay} read. */
export interface BareReplay {
  /** Records read. */
  readonly count: number;
  /** `performance.now()` when every partition had reached its high-water mark. */
  readonly caughtUpAt: number;
  /** `heapUsed` at that moment, bytes. */
  readonly heapUsed: number;
}

/**
 * The cold-start baseline: a bare consumer that only counts records up to the high-water marks
 * it fetched first (like the verifier, it must learn where the end is before it can tell it got
 * there), with the verifier's fetch wait so neither idles longer at the end. The client is
 * created when called; its group is deleted after `caughtUpAt` and `heapUsed` were taken.
 */
export async function bareReplay(
  brokers: readonly string[],
  topic: string,
  options: {
    readonly clientId: string;
    readonly maxWaitTimeInMs: number;
    /** Called with every record's key and value (B4's floor: parse and keep each record). */
    readonly onRecord?: (key: Buffer | null, value: Buffer | null) => void;
  },
): Promise<BareReplay> {
  const kafka = client(brokers, options.clientId);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  const remaining = new Map<number, number>();
  for (const { partition, high, low } of offsets) {
    if (Number(high) > Number(low)) remaining.set(partition, Number(high));
  }
  const groupId = `${options.clientId}-${randomUUID()}`;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: options.maxWaitTimeInMs,
    minBytes: 1,
  });
  let count = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  if (remaining.size === 0) finish();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: ({ batch }) => {
      count += batch.messages.length;
      const { onRecord } = options;
      if (onRecord !== undefined) for (const m of batch.messages) onRecord(m.key, m.value);
      const last = batch.messages[batch.messages.length - 1];
      const target = remaining.get(batch.partition);
      if (last !== undefined && target !== undefined && Number(last.offset) + 1 >= target) {
        remaining.delete(batch.partition);
        if (remaining.size === 0) finish();
      }
      return Promise.resolve();
    },
  });
  await done;
  const caughtUpAt = performance.now();
  const heapUsed = process.memoryUsage().heapUsed;
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
  return { count, caughtUpAt, heapUsed };
}

/** A consumer that reads and drops records, with kafkajs' default settings. */
export interface IdleConsumer {
  /** Requests kafkajs reports (`consumer.events.REQUEST`) since the start. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * B7's baseline: a bare kafkajs consumer with kafkajs' defaults (fetch wait 5 s, request
 * timeouts enforced), its own group, reading `topic` from the start; resolves once it joined.
 */
export async function idleConsumer(
  brokers: readonly string[],
  topic: string,
  clientId: string,
): Promise<IdleConsumer> {
  const kafka = client(brokers, clientId);
  const groupId = `${clientId}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  let requests = 0;
  consumer.on(consumer.events.REQUEST, () => {
    requests += 1;
  });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatch: () => Promise.resolve() });
  await joined;
  return {
    requests: () => requests,
    close: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

/** Records between two heartbeats during a long replay, as the verifier's feed sends them. */
const HEARTBEAT_EVERY = 1_000;

/**
 * The client-choice benchmark's kafkajs arm: a bare broadcast reader set up as the verifier's
 * feed (`kafkajs-client.ts`) sets kafkajs up — the idle-timer fix, no request-timeout interval on
 * the consumer's client (an admin client with it captures the high-water marks and is
 * disconnected once the topic is replayed), the feed's retry and connection timeout, a group of
 * its own, nothing committed, one partition at a time, a heartbeat every 1,000 records of a
 * replay. Resolves once the consumer joined its group.
 */
export async function kafkajsBroadcastConsumer(
  options: BroadcastConsumerOptions,
): Promise<BroadcastConsumer> {
  fixKafkajsIdleTimer(import.meta.url);
  const warnings = new WarningLog();
  const requests = new Map<string, number>();
  const countRequest = ({ payload }: { payload: { apiName: string } }) => {
    requests.set(payload.apiName, (requests.get(payload.apiName) ?? 0) + 1);
  };
  const config = {
    ...clientConnection(options.brokers, options.clientId),
    connectionTimeout: 3_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, log }: LogEntry) =>
        warnings.add(`kafkajs ${namespace}: ${log.message}`),
  };
  const kafka = new Kafka({ ...config, enforceRequestTimeout: false });
  let admin: ReturnType<Kafka['admin']> | undefined = new Kafka(config).admin();
  admin.on(admin.events.REQUEST, countRequest);
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(options.topic);
  const marks = new Map(
    offsets.map(({ partition, low, high }) => [
      partition,
      { low: Number(low), high: Number(high) },
    ]),
  );
  const tracker = new ReplayTracker(marks);
  void tracker.done.then(async () => {
    const done = admin;
    admin = undefined;
    await done?.disconnect().catch(() => undefined);
  });
  const groupId = `${options.clientId}-${randomUUID()}`;
  let closed = false;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: options.fetchWaitMs,
    minBytes: 1,
    allowAutoTopicCreation: false,
    retry: {
      initialRetryTime: 300,
      maxRetryTime: 10_000,
      retries: 5,
      restartOnFailure: () => Promise.resolve(!closed),
    },
  });
  consumer.on(consumer.events.REQUEST, countRequest);
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: true,
    partitionsConsumedConcurrently: 1,
    eachBatch: async (payload) => {
      const { batch } = payload;
      let sinceHeartbeat = 0;
      for (const message of batch.messages) {
        if (!payload.isRunning() || payload.isStale()) return;
        const offset = Number(message.offset);
        options.onRecord({
          key: message.key,
          value: message.value,
          timestamp: Number(message.timestamp),
          partition: batch.partition,
          offset,
        });
        tracker.seen(batch.partition, offset);
        payload.resolveOffset(message.offset);
        if (++sinceHeartbeat >= HEARTBEAT_EVERY) {
          sinceHeartbeat = 0;
          await payload.heartbeat();
        }
      }
    },
  });
  await joined;
  return {
    startMarks: new Map([...marks].map(([partition, { high }]) => [partition, high])),
    replayed: tracker.done,
    requestsByApi: () => requests,
    warnings: () => warnings.lines(),
    close: async () => {
      closed = true;
      await consumer.disconnect();
      const cleanup = new Kafka(config).admin();
      await cleanup.connect();
      await cleanup.deleteGroups([groupId]).catch(() => undefined);
      await cleanup.disconnect();
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
