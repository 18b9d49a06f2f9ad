/**
 * The revocation feed over Kafka (kafkajs): the only file of the package that imports the
 * Kafka client. Every verifier instance reads every partition (broadcast): each uses a
 * consumer group of its own, commits nothing, and rebuilds its blocklist by replaying the
 * topic from the start. Committed offsets are not state; the retention window is.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
import type { Admin, Consumer, EachBatchPayload, IHeaders, LogEntry } from 'kafkajs';
import { NotReadyError } from '../errors.js';
import type { FeedStats, RevocationFeed, RevocationFeedContext, RevocationSink } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import { restartBackoff } from './backoff.js';
import { fetchWaitMs } from './fetch-wait.js';
import { BrokerWatch, CONTACT_LOST_MS } from './broker-watch.js';
import type { ResolvedKafkaOptions } from './options.js';
import { PoisonLog } from './poison-log.js';
import { RecordDelivery } from './record-delivery.js';
import { ReplayProgress } from './replay-progress.js';
import type { PartitionOffsets } from './replay-progress.js';
import { REVOCATION_SIGNATURE_HEADER, probeBrokers } from '@revocation-fabric/protocol';
import type { TopicRetentionVerdict } from '@revocation-fabric/protocol';
import { checkFeedTopicRetention, topicRetentionRequest } from './topic-retention.js';

/** Options of {@link KafkaRevocationFeed}: validated Kafka options and the verifier's context. */
export interface KafkaFeedOptions extends ResolvedKafkaOptions, RevocationFeedContext {}

/** How often the startup replay re-reads the partitions' start offsets (see #watchReplay), ms. */
const REPLAY_WATCH_INTERVAL_MS = 5_000;
/** Heartbeat at least every this many records during a long replay. */
const HEARTBEAT_EVERY = 1_000;
/** How long close() waits for the group deletion, ms. */
const CLOSE_TIMEOUT_MS = 5_000;
/** Deadline of one reachability probe (connect + ApiVersions answer), ms. */
const PROBE_TIMEOUT_MS = 1_000;

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

/**
 * Reads the revocation topic with kafkajs and feeds decoded events to a sink.
 *
 * Start: the high-water mark of every partition is captured with an admin client, then the
 * consumer replays the topic from its beginning; `ready()` resolves once every partition has
 * been applied up to the mark captured. Trouble: the consumer is restarted with backoff;
 * poison records are skipped, counted by code and logged (rate-limited) — they never stop a
 * partition. Staleness: every successful fetch or heartbeat counts as contact.
 */
export class KafkaRevocationFeed implements RevocationFeed {
  readonly #options: KafkaFeedOptions;
  readonly #logger: VerifierLogger;
  /** The consumer's client: request timeouts not enforced (see the constructor). */
  readonly #kafka: Kafka;
  /** The admin's client (start, replay watch, close): kafkajs' request timeouts enforced. */
  readonly #adminKafka: Kafka;
  /** Fetch wait at the broker, ms (see fetch-wait.ts). */
  readonly #fetchWaitMs: number;
  /** This instance's consumer group; a new one after a forced reconnect (see #reconnectNow). */
  #groupId: string;
  /** Every group id this instance used, deleted on close. */
  readonly #groupIds = new Set<string>();
  /** Bumped by a forced reconnect: loops and starts of an older generation give up. */
  #generation = 0;
  /** Aborts the restart backoff sleep of #run, when the broker answers again. */
  #wakeSleep: AbortController | undefined;
  readonly #watch: BrokerWatch;
  readonly #generationOf = new WeakMap<Consumer, number>();
  /** Last time a record was delivered: a long batch is contact too, for the watch. */
  #lastDeliveryAt: number | undefined;
  readonly #abort = new AbortController();
  readonly #now: () => number;
  readonly #progress = new ReplayProgress();
  readonly #poison: PoisonLog;
  readonly #ready: Promise<void>;
  #resolveReady: () => void = () => {};
  #rejectReady: (error: Error) => void = () => {};
  #isReady = false;
  #delivery: RecordDelivery | undefined;
  #consumer: Consumer | undefined;
  #admin: Admin | undefined;
  #replayWatch: NodeJS.Timeout | undefined;
  #lastContactAt: number | undefined;
  /** The topics' retention as judged at start; `undefined` before. */
  #topicRetention: readonly TopicRetentionVerdict[] | undefined;
  #startedAt = 0;
  #closing: Promise<void> | undefined;

  constructor(options: KafkaFeedOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#poison = new PoisonLog(options.logger, options.now);
    this.#groupId = this.#newGroupId();
    this.#fetchWaitMs = fetchWaitMs(options.maxStalenessMs);
    const client = {
      clientId: options.clientId,
      brokers: options.brokers,
      ...(options.tls === undefined ? {} : { ssl: options.tls }),
      ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
      connectionTimeout: options.connectionTimeoutMs,
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 5 },
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
    this.#kafka = new Kafka({ ...client, enforceRequestTimeout: false });
    this.#adminKafka = new Kafka(client);
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // ready() may never be awaited (a service that only calls verify()); its rejection on
    // close must not become an unhandled rejection.
    this.#ready.catch(() => {});
    this.#watch = new BrokerWatch({
      probe: () =>
        probeBrokers({ brokers: options.brokers, tls: options.tls, timeoutMs: PROBE_TIMEOUT_MS }),
      outOfContactMs: () => this.#outOfContactMs(),
      onReturn: () => this.#reconnectNow(),
      now: options.now,
    });
  }

  #newGroupId(): string {
    const id = `${this.#options.clientId}-${randomUUID()}`;
    this.#groupIds.add(id);
    return id;
  }

  /**
   * ms of silence beyond what a long poll explains (the broker answers an idle fetch after the
   * fetch wait), `undefined` while in contact.
   */
  #outOfContactMs(): number | undefined {
    const heard = Math.max(this.#lastContactAt ?? this.#startedAt, this.#lastDeliveryAt ?? 0);
    const silent = this.#now() - heard - this.#fetchWaitMs;
    return silent < CONTACT_LOST_MS ? undefined : silent;
  }

  /**
   * The broker answers again after an outage: reconnect now rather than when kafkajs' retry or
   * our backoff would. A sleeping restart loop is woken; a consumer still inside kafkajs'
   * retries is dropped and a fresh one started under a new group id, so the old member (which
   * may linger until its session times out) cannot share the partitions with the new one.
   */
  #reconnectNow(): void {
    if (this.#closed) return;
    if (this.#wakeSleep !== undefined) {
      this.#logger.info({ topics: this.#options.topics }, 'broker answers again; restarting now');
      this.#wakeSleep.abort();
      return;
    }
    this.#logger.info(
      { topics: this.#options.topics },
      'broker answers again; replacing the revocation consumer now',
    );
    this.#generation += 1;
    const stale = this.#consumer;
    this.#consumer = undefined;
    void stale?.disconnect().catch(() => {});
    this.#groupId = this.#newGroupId();
    void this.#run(0);
  }

  start(sink: RevocationSink): void {
    if (this.#delivery !== undefined) throw new Error('KafkaRevocationFeed.start() called twice');
    this.#delivery = new RecordDelivery({
      sink,
      poison: this.#poison,
      logger: this.#logger,
      clockToleranceMs: this.#options.clockToleranceMs,
    });
    this.#startedAt = this.#now();
    this.#watch.start();
    void this.#run(0);
  }

  ready(): Promise<void> {
    return this.#ready;
  }

  isReady(): boolean {
    return this.#isReady;
  }

  lastContactAt(): number | undefined {
    return this.#lastContactAt;
  }

  topicRetention(): readonly TopicRetentionVerdict[] | undefined {
    return this.#topicRetention;
  }

  stats(): FeedStats {
    return {
      ready: this.#isReady,
      lastContactAt: this.#lastContactAt,
      lagByPartition: this.#progress.lagByPartition(),
      applied: this.#delivery?.delivered ?? 0,
      poisonByCode: this.#poison.counts(),
      topicRetention: this.#topicRetention,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  get #closed(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Starts (or restarts) the consumer, retrying with backoff until it runs or the feed closes. */
  async #run(firstAttempt: number): Promise<void> {
    const generation = this.#generation;
    const current = () => !this.#closed && generation === this.#generation;
    for (let attempt = firstAttempt; current(); attempt += 1) {
      try {
        await this.#startOnce(generation);
        return;
      } catch (error) {
        if (!current()) return;
        const retryInMs = restartBackoff(attempt);
        this.#logger.warn(
          { err: error, attempt, retryInMs, topics: this.#options.topics, groupId: this.#groupId },
          'revocation consumer could not start; retrying',
        );
        await this.#stopConsumer();
        if (!current()) return;
        // The broker watch ends this sleep early once the broker answers again.
        const wake = new AbortController();
        this.#wakeSleep = wake;
        try {
          await sleep(retryInMs, undefined, {
            signal: AbortSignal.any([this.#abort.signal, wake.signal]),
            ref: false,
          });
        } catch {
          // closed or woken: the loop condition tells which
        } finally {
          if (this.#wakeSleep === wake) this.#wakeSleep = undefined;
        }
        if (wake.signal.aborted) attempt = -1;
      }
    }
  }

  async #startOnce(generation: number): Promise<void> {
    const superseded = () => this.#closed || generation !== this.#generation;
    if (!this.#progress.hasTargets()) await this.#captureTargets();
    // A topic too short for its issuers' tokens: never ready, so no consumer either.
    if (superseded() || this.#retentionRefused()) return;
    const consumer = this.#kafka.consumer({
      groupId: this.#groupId,
      maxWaitTimeInMs: this.#fetchWaitMs,
      minBytes: 1,
      allowAutoTopicCreation: false,
      // kafkajs restarts the consumer itself after retriable failures (broker down, leader
      // moved); the CRASH listener below covers the ones it gives up on. A consumer of a closed
      // feed or one replaced by a forced reconnect must not come back: it would retry forever.
      retry: {
        initialRetryTime: 300,
        maxRetryTime: 10_000,
        retries: 5,
        restartOnFailure: () => Promise.resolve(!this.#closed && !this.#retired(consumer)),
      },
    });
    this.#consumer = consumer;
    this.#generationOf.set(consumer, generation);
    this.#instrument(consumer);
    const abandon = async (): Promise<boolean> => {
      if (!superseded()) return false;
      // A forced reconnect replaced this consumer while kafkajs was still retrying it.
      if (this.#consumer === consumer) this.#consumer = undefined;
      await consumer.disconnect().catch(() => {});
      return true;
    };
    await consumer.connect();
    if (await abandon()) return;
    await consumer.subscribe({ topics: [...this.#options.topics], fromBeginning: true });
    if (await abandon()) return;
    await consumer.run({
      // Offsets are never committed: the blocklist lives in memory and is rebuilt by replay.
      autoCommit: false,
      eachBatchAutoResolve: true,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload, consumer),
    });
    if (await abandon()) return;
    this.#checkReplayDone();
  }

  /** Captures every partition's high-water mark: the startup replay must reach them all. */
  async #captureTargets(): Promise<void> {
    const admin = this.#admin ?? this.#adminKafka.admin();
    this.#admin = admin;
    await admin.connect();
    const offsets = await this.#fetchOffsets(admin);
    // Judged before any target is recorded: a failed describe (the DescribeConfigs ACL missing,
    // say) fails this start, and the restart loop asks again.
    await this.#checkRetention(admin);
    this.#progress.captureTargets(offsets);
    this.#logger.debug(
      {
        topics: this.#options.topics,
        partitions: offsets.length,
        targets: this.#progress.targets(),
      },
      'captured high-water marks; replaying the revocation topic',
    );
    // Records below a partition's start offset can vanish under us (retention) while we
    // replay; the watch notices a target that can no longer be reached by reading.
    if (this.#closed) return;
    this.#replayWatch = setInterval(() => void this.#watchReplay(), REPLAY_WATCH_INTERVAL_MS);
    this.#replayWatch.unref();
  }

  async #watchReplay(): Promise<void> {
    if (this.#isReady || this.#closed || this.#admin === undefined) return;
    try {
      const offsets = await this.#fetchOffsets(this.#admin);
      for (const { topic, partition, low } of offsets)
        this.#progress.skipBelow(topic, partition, low);
      this.#checkReplayDone();
    } catch (error) {
      this.#logger.debug({ err: error }, 'could not re-read partition offsets during replay');
    }
  }

  /**
   * Reads every topic's real retention and judges it against the longest token lifetime of the
   * issuers it speaks for. A topic that deletes events before their rules may be forgotten
   * would let this verifier accept tokens revoked a while ago, after a restart: the feed then
   * never becomes ready, and `ready()` rejects with the reason.
   */
  async #checkRetention(admin: Admin): Promise<void> {
    const topics = this.#options.topics;
    const answer = await admin.describeConfigs(topicRetentionRequest(topics));
    const verdicts = checkFeedTopicRetention(answer, {
      topics,
      maxTokenLifetimeMs: this.#options.maxTokenLifetimeMs,
      clockToleranceMs: this.#options.clockToleranceMs,
    });
    this.#topicRetention = verdicts;
    const tooShort = verdicts.filter((verdict) => !verdict.sufficient);
    if (tooShort.length === 0) return;
    for (const verdict of tooShort) {
      this.#logger.error(
        { code: 'TOPIC_RETENTION_TOO_SHORT', ...verdict },
        `revocation topic ${verdict.topic} deletes events before their rules may be forgotten; this verifier will not become ready: ${verdict.fix}`,
      );
    }
    this.#rejectReady(
      new NotReadyError({ reason: 'TOPIC_RETENTION_TOO_SHORT', topicRetention: tooShort }),
    );
  }

  #retentionRefused(): boolean {
    return this.#topicRetention?.some((verdict) => !verdict.sufficient) ?? false;
  }

  /** Every partition's offsets, of every topic read. */
  async #fetchOffsets(admin: Admin): Promise<PartitionOffsets[]> {
    const perTopic = await Promise.all(
      this.#options.topics.map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({
          topic,
          partition,
          low: Number(low),
          high: Number(high),
        })),
      ),
    );
    return perTopic.flat();
  }

  #instrument(consumer: Consumer): void {
    const { events } = consumer;
    const touch = () => {
      this.#lastContactAt = this.#now();
    };
    consumer.on(events.FETCH, touch);
    consumer.on(events.HEARTBEAT, touch);
    consumer.on(events.GROUP_JOIN, () => {
      if (this.#retired(consumer)) return;
      touch();
      // After a restart, resume where this instance stopped instead of replaying the whole
      // topic again (nothing was committed, so kafkajs would start from the beginning).
      // Best effort: the offset check in #eachBatch keeps a replay correct anyway.
      for (const { topic, partition, next } of this.#progress.values()) {
        if (next === 0) continue;
        try {
          consumer.seek({ topic, partition, offset: String(next) });
        } catch (error) {
          this.#logger.debug({ err: error, topic, partition }, 'could not seek after joining');
        }
      }
    });
    consumer.on(events.START_BATCH_PROCESS, ({ payload }) => {
      const progress = this.#progress.of(payload.topic, payload.partition);
      const high = Number(payload.highWatermark);
      if (high < progress.next) {
        // The partition is shorter than what we applied: the topic was deleted and recreated.
        // Offsets restart, so forget ours rather than skip the new records as duplicates.
        this.#logger.warn(
          { topic: payload.topic, partition: payload.partition, high, next: progress.next },
          'revocation topic partition was truncated; re-reading it',
        );
        progress.next = 0;
      }
      progress.high = high;
    });
    consumer.on(events.END_BATCH_PROCESS, ({ payload }) => {
      // A batch of nothing but transaction markers carries no message, yet moves the position:
      // without this a partition ending in a marker would never count as replayed.
      if (payload.batchSize !== 0) return;
      const progress = this.#progress.of(payload.topic, payload.partition);
      progress.next = Math.max(progress.next, Number(payload.lastOffset) + 1);
      this.#checkReplayDone();
    });
    consumer.on(events.CRASH, ({ payload }) => {
      this.#logger.warn(
        { err: payload.error, restart: payload.restart, groupId: this.#groupId },
        payload.restart
          ? 'revocation consumer crashed; kafkajs restarts it'
          : 'revocation consumer crashed',
      );
      // kafkajs only restarts after errors it deems retriable; a verifier must keep trying
      // whatever the cause, so restart it ourselves with backoff.
      if (!payload.restart && !this.#closed && this.#consumer === consumer) {
        this.#consumer = undefined;
        void consumer.disconnect().catch(() => {});
        void this.#run(1);
      }
    });
  }

  /**
   * A consumer replaced by a forced reconnect can come back to life: kafkajs may restart it from
   * a crash scheduled before its disconnect. It is disconnected again, and delivers nothing.
   */
  #retired(consumer: Consumer): boolean {
    if (this.#generationOf.get(consumer) === this.#generation) return false;
    void consumer.disconnect().catch(() => {});
    return true;
  }

  async #eachBatch(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    if (this.#retired(consumer)) return;
    // kafkajs declares the payload's functions as methods; they are called through it.
    const { batch } = payload;
    const progress = this.#progress.of(batch.topic, batch.partition);
    let sinceHeartbeat = 0;
    for (const message of batch.messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      const offset = Number(message.offset);
      // After a restart kafkajs reads from the beginning again (nothing was committed): records
      // already applied are skipped, so counters and `revoked` notifications stay exact.
      if (offset >= progress.next) {
        this.#lastDeliveryAt = this.#now();
        this.#delivery?.deliver({
          value: message.value,
          timestamp: message.timestamp,
          signature: headerText(message.headers?.[REVOCATION_SIGNATURE_HEADER]),
          topic: batch.topic,
          partition: batch.partition,
          offset,
        });
        progress.next = offset + 1;
      }
      payload.resolveOffset(message.offset);
      if (++sinceHeartbeat >= HEARTBEAT_EVERY) {
        sinceHeartbeat = 0;
        await payload.heartbeat();
      }
    }
    progress.high = Math.max(progress.high, Number(batch.highWatermark));
    this.#checkReplayDone();
  }

  #checkReplayDone(): void {
    if (this.#isReady || this.#closed || this.#consumer === undefined) return;
    if (!this.#progress.replayed()) return;
    this.#isReady = true;
    this.#lastContactAt ??= this.#now();
    this.#stopReplayWatch();
    this.#logger.info(
      {
        topics: this.#options.topics,
        applied: this.#delivery?.delivered ?? 0,
        ms: this.#now() - this.#startedAt,
      },
      'revocation topic replayed; verifier ready',
    );
    this.#resolveReady();
  }

  #stopReplayWatch(): void {
    clearInterval(this.#replayWatch);
    this.#replayWatch = undefined;
    const admin = this.#admin;
    this.#admin = undefined;
    void admin?.disconnect().catch(() => {});
  }

  async #stopConsumer(): Promise<void> {
    const consumer = this.#consumer;
    this.#consumer = undefined;
    await consumer?.disconnect().catch((error: unknown) => {
      this.#logger.debug({ err: error }, 'revocation consumer disconnect failed');
    });
  }

  async #shutdown(): Promise<void> {
    this.#abort.abort();
    this.#watch.stop();
    if (!this.#isReady)
      this.#rejectReady(
        new NotReadyError({ reason: 'CLOSED', message: 'verifier closed before it was ready' }),
      );
    clearInterval(this.#replayWatch);
    await this.#stopConsumer();
    // The group holds no offsets and would expire on its own; deleting it keeps the broker's
    // group list free of one entry per restarted instance.
    const admin = this.#admin ?? this.#adminKafka.admin({ retry: { retries: 1 } });
    this.#admin = undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await admin.connect();
          await admin.deleteGroups([...this.#groupIds]);
        })(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), CLOSE_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
    } catch (error) {
      this.#logger.debug(
        { err: error, groupIds: [...this.#groupIds] },
        'could not delete the consumer groups',
      );
    } finally {
      clearTimeout(timer);
      await admin.disconnect().catch(() => {});
    }
  }
}
