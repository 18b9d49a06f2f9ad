/**
 * The revocation feed over Kafka. Every verifier instance reads every partition (broadcast):
 * each uses a consumer group of its own, commits nothing, and rebuilds its blocklist by
 * replaying the topic from the start. Committed offsets are not state; the retention window is.
 *
 * This file wires the pieces and keeps the feed's contract (readiness, contact, stats): the
 * client adapter (`kafkajs-client.ts`), the consumer supervisor, the replay tracker, record
 * delivery, the broker watch and the group deletion each do their one job elsewhere.
 */
import { NotReadyError } from '../errors.js';
import type { FeedStats, RevocationFeed, RevocationFeedContext, RevocationSink } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import { probeBrokers } from '@revocation-fabric/kafka-connection';
import type {
  DescribeTopicConfigsAnswer,
  TopicRetentionVerdict,
} from '@revocation-fabric/protocol';
import { AppliedReceipts } from './applied-receipts.js';
import { BrokerWatch, CONTACT_LOST_MS } from './broker-watch.js';
import type { FeedAdmin, FeedClient, PartitionOffsets, RecordBatch } from './client.js';
import { ConsumerSupervisor } from './consumer-supervisor.js';
import { fetchWaitMs } from './fetch-wait.js';
import { FeedSnapshots } from './feed-snapshots.js';
import { RetiredGroups, deleteConsumerGroups } from './group-deletion.js';
import { kafkajsClient } from './kafkajs-client.js';
import type { ResolvedKafkaOptions } from './options.js';
import { PoisonLog } from './poison-log.js';
import { RecordDelivery } from './record-delivery.js';
import { ReplayTracker } from './replay-tracker.js';
import type { PartitionProgress } from './replay-tracker.js';
import { checkFeedTopicRetention } from './topic-retention.js';

/** Options of {@link KafkaRevocationFeed}: validated Kafka options and the verifier's context. */
export interface KafkaFeedOptions extends ResolvedKafkaOptions, RevocationFeedContext {}

/** Deadline of one reachability probe (connect + ApiVersions answer), ms. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Reads the revocation topics and feeds decoded events to a sink.
 *
 * Start: the high-water mark of every partition is captured with an admin client, then the
 * consumer replays the topics from their beginning; `ready()` resolves once every partition
 * has been applied up to the mark captured. Trouble: the consumer is restarted with backoff;
 * poison records are skipped, counted by code and logged (rate-limited) — they never stop a
 * partition. Staleness: every successful fetch or heartbeat counts as contact.
 */
export class KafkaRevocationFeed implements RevocationFeed {
  readonly #options: KafkaFeedOptions;
  readonly #logger: VerifierLogger;
  readonly #now: () => number;
  readonly #client: FeedClient;
  /** Fetch wait at the broker, ms (see fetch-wait.ts). */
  readonly #fetchWaitMs: number;
  readonly #supervisor: ConsumerSupervisor;
  /** Deletes the groups of replaced consumers while the feed runs; close() deletes the rest. */
  readonly #retiredGroups: RetiredGroups;
  readonly #tracker: ReplayTracker;
  readonly #watch: BrokerWatch;
  readonly #poison: PoisonLog;
  readonly #ready: Promise<void>;
  #resolveReady: () => void = () => {};
  #rejectReady: (error: Error) => void = () => {};
  #isReady = false;
  #delivery: RecordDelivery | undefined;
  /** Connected from the capture of the targets until the replay is done (or the feed closes). */
  #admin: FeedAdmin | undefined;
  /** The capture of the targets in flight: concurrent start attempts share it. */
  #capturing: Promise<void> | undefined;
  #lastContactAt: number | undefined;
  /** The topics' retention as judged at start; `undefined` before. */
  #topicRetention: readonly TopicRetentionVerdict[] | undefined;
  #startedAt = 0;
  /** Snapshots, when the options keep them and the sink has a state to give. */
  #snapshots: FeedSnapshots | undefined;
  /** The cluster the positions are of; read at start when snapshots are kept. */
  #clusterId: string | undefined;
  /** A snapshot's state waiting for its anchors to read back before it is merged. */
  #pendingState: unknown;
  #saveTimer: NodeJS.Timeout | undefined;
  /** Commits the applied position as this instance's group offsets; none when turned off. */
  readonly #receipts: AppliedReceipts | undefined;
  #saving: Promise<void> | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  /**
   * @param client the Kafka client adapter; kafkajs by default (tests pass a double of
   *   {@link FeedClient}).
   */
  constructor(options: KafkaFeedOptions, client?: FeedClient) {
    this.#options = options;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#poison = new PoisonLog(options.logger, options.now);
    this.#fetchWaitMs = fetchWaitMs(options.maxStalenessMs);
    this.#client = client ?? kafkajsClient({ ...options, fetchWaitMs: this.#fetchWaitMs });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // ready() may never be awaited (a service that only calls verify()); its rejection on
    // close must not become an unhandled rejection.
    this.#ready.catch(() => {});
    this.#tracker = new ReplayTracker({
      logger: options.logger,
      readOffsets: () => this.#admin?.partitionOffsets() ?? Promise.resolve([]),
      onWatched: () => this.#checkReplayDone(),
      onAnchor: (progress, matched) => this.#anchorRead(progress, matched),
    });
    this.#retiredGroups = new RetiredGroups({
      admin: () => this.#client.admin({ retries: 1 }),
      logger: options.logger,
    });
    const touch = () => {
      this.#lastContactAt = this.#now();
    };
    this.#supervisor = new ConsumerSupervisor({
      client: this.#client,
      clientId: options.clientId,
      topics: options.topics,
      logger: options.logger,
      prepare: () => this.#prepare(),
      onRunning: () => {
        // A new consumer may be in a new group, which holds no receipt yet.
        this.#receipts?.consumerRunning();
        this.#checkReplayDone();
      },
      onGroupRetired: (groupId) => this.#retiredGroups.add(groupId),
      events: {
        contact: touch,
        joined: (seek) => {
          touch();
          // After a restart, resume where this instance stopped instead of replaying the whole
          // topic again. Best effort: the offset check of each batch keeps a replay correct.
          for (const position of this.#tracker.resumePositions()) {
            try {
              seek(position);
            } catch (error) {
              this.#logger.debug({ err: error, ...position }, 'could not seek after joining');
            }
          }
        },
        batchStarting: (topic, partition, high) =>
          this.#tracker.batchStarting(topic, partition, high),
        emptyBatchEnded: (topic, partition, lastOffset) => {
          this.#tracker.markersRead(topic, partition, lastOffset);
          this.#receipts?.applied();
          this.#checkReplayDone();
        },
        batch: (batch) => this.#deliverBatch(batch),
      },
    });
    this.#receipts =
      options.receiptIntervalMs === false
        ? undefined
        : new AppliedReceipts({
            intervalMs: options.receiptIntervalMs,
            // Positions a snapshot vouches for count only once its state is merged.
            positions: () =>
              this.#pendingState === undefined ? this.#tracker.resumePositions() : [],
            commit: (positions) => this.#supervisor.commitOffsets(positions),
            logger: options.logger,
            now: options.now,
          });
    this.#watch = new BrokerWatch({
      probe: () =>
        probeBrokers({ brokers: options.brokers, tls: options.tls, timeoutMs: PROBE_TIMEOUT_MS }),
      outOfContactMs: () => this.#outOfContactMs(),
      onReturn: () => this.#supervisor.brokerReturned(),
      now: options.now,
    });
  }

  start(sink: RevocationSink): void {
    if (this.#delivery !== undefined) throw new Error('KafkaRevocationFeed.start() called twice');
    this.#delivery = new RecordDelivery({
      sink,
      poison: this.#poison,
      logger: this.#logger,
      clockToleranceMs: this.#options.clockToleranceMs,
      now: this.#now,
    });
    const { snapshot } = this.#options;
    if (snapshot !== undefined && sink.snapshots !== undefined) {
      this.#snapshots = new FeedSnapshots({
        ...snapshot,
        topics: this.#options.topics,
        sink: sink.snapshots,
        logger: this.#logger,
        now: this.#now,
      });
    }
    this.#startedAt = this.#now();
    this.#watch.start();
    this.#supervisor.start();
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
      lagByPartition: this.#tracker.lagByPartition(),
      applied: this.#delivery?.delivered ?? 0,
      receipts: this.#receipts?.commits ?? 0,
      receiptFailures: this.#receipts?.failures ?? 0,
      poisonByCode: this.#poison.counts(),
      topicRetention: this.#topicRetention,
    };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  /**
   * ms of silence beyond what a long poll explains (the broker answers an idle fetch after the
   * fetch wait), `undefined` while in contact.
   */
  #outOfContactMs(): number | undefined {
    const heard = Math.max(
      this.#lastContactAt ?? this.#startedAt,
      this.#delivery?.lastDeliveryAt ?? 0,
    );
    const silent = this.#now() - heard - this.#fetchWaitMs;
    return silent < CONTACT_LOST_MS ? undefined : silent;
  }

  /** Before each start attempt: the targets are captured once; a topic too short refuses. */
  async #prepare(): Promise<'start' | 'refuse'> {
    if (!this.#tracker.hasTargets()) {
      this.#capturing ??= this.#captureTargets().finally(() => {
        this.#capturing = undefined;
      });
      await this.#capturing;
    }
    // A topic too short for its issuers' tokens: never ready, so no consumer either.
    return this.#topicRetention?.some((verdict) => !verdict.sufficient) ? 'refuse' : 'start';
  }

  /** Captures every partition's high-water mark: the startup replay must reach them all. */
  async #captureTargets(): Promise<void> {
    const admin = this.#admin ?? this.#client.admin();
    this.#admin = admin;
    await admin.connect();
    const offsets = await admin.partitionOffsets();
    // Judged before any target is recorded: a failed describe (the DescribeConfigs ACL missing,
    // say) fails this start, and the supervisor asks again.
    this.#judgeRetention(await admin.describeRetention());
    this.#tracker.capture(offsets);
    await this.#resumeFromSnapshot(admin, offsets);
    this.#logger.debug(
      {
        topics: this.#options.topics,
        partitions: offsets.length,
        targets: this.#tracker.targets(),
      },
      'captured high-water marks; replaying the revocation topic',
    );
    if (!this.#closed) this.#tracker.watch();
  }

  /**
   * Judges every topic's real retention against the longest token lifetime of the issuers it
   * speaks for. A topic that deletes events before their rules may be forgotten would let this
   * verifier accept tokens revoked a while ago, after a restart: the feed then never becomes
   * ready, and `ready()` rejects with the reason.
   */
  #judgeRetention(answer: DescribeTopicConfigsAnswer): void {
    const verdicts = checkFeedTopicRetention(answer, {
      topics: this.#options.topics,
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

  /**
   * Resumes from a snapshot, if one may be used: each partition it vouches for is read from
   * its anchor (the last record the snapshot reflects), and the state is merged once every
   * anchor read back unchanged; the others are read from their start.
   */
  async #resumeFromSnapshot(admin: FeedAdmin, offsets: readonly PartitionOffsets[]): Promise<void> {
    const snapshots = this.#snapshots;
    if (snapshots === undefined) return;
    try {
      this.#clusterId ??= await admin.clusterId();
    } catch (error) {
      this.#logger.warn({ err: error }, 'cannot read the cluster id; not using snapshots');
      this.#snapshots = undefined;
      return;
    }
    const usable = await snapshots.load(this.#clusterId, offsets);
    if (usable === undefined) return;
    for (const plan of usable.plans) {
      if (plan.kind === 'anchor')
        this.#tracker.of(plan.topic, plan.partition).expectAnchor(plan.anchor, plan.resumeAt);
    }
    this.#logger.info(
      {
        path: snapshots.path,
        ageMs: this.#now() - usable.createdAt,
        anchors: usable.plans.filter((plan) => plan.kind === 'anchor').length,
      },
      'resuming from a revocation snapshot',
    );
    this.#pendingState = usable.state;
    if (this.#tracker.anchorsPending() === 0) this.#mergeSnapshot();
  }

  /** A snapshot's anchor was read: all matched, the state is merged; one did not, it is dropped. */
  #anchorRead(progress: PartitionProgress, matched: boolean): void {
    if (this.#pendingState === undefined) return;
    if (!matched) {
      this.#logger.warn(
        { topic: progress.topic, partition: progress.partition },
        'the revocation snapshot’s last record reads back changed (topic recreated?); replaying in full',
      );
      this.#dropSnapshot();
      return;
    }
    if (this.#tracker.anchorsPending() === 0) this.#mergeSnapshot();
  }

  #mergeSnapshot(): void {
    const state = this.#pendingState;
    this.#pendingState = undefined;
    try {
      this.#snapshots?.sinkRestore(state);
    } catch (error) {
      // Nothing was merged, yet positions moved past what the state holds: read it all again.
      this.#logger.warn(
        { err: error },
        'the revocation snapshot does not restore; replaying in full',
      );
      this.#pendingState = state;
      this.#dropSnapshot();
    }
  }

  /** Reads every partition from its start again, in a new consumer; the state is not merged. */
  #dropSnapshot(): void {
    this.#pendingState = undefined;
    this.#tracker.restart();
    this.#supervisor.reread();
  }

  /** Saves a snapshot once ready; one at a time. */
  #save(): Promise<void> {
    const snapshots = this.#snapshots;
    const clusterId = this.#clusterId;
    if (!this.#isReady || snapshots === undefined || clusterId === undefined)
      return Promise.resolve();
    this.#saving ??= snapshots
      .save(clusterId, this.#tracker.positions())
      .then(() => {})
      .finally(() => {
        this.#saving = undefined;
      });
    return this.#saving;
  }

  async #deliverBatch(batch: RecordBatch): Promise<void> {
    if (this.#delivery === undefined) return;
    const progress = this.#tracker.of(batch.topic, batch.partition);
    const completed = await this.#delivery.deliverBatch(batch, progress);
    this.#receipts?.applied();
    if (completed) this.#checkReplayDone();
  }

  #checkReplayDone(): void {
    if (this.#isReady || this.#closed || !this.#supervisor.hasConsumer()) return;
    // A snapshot's state not merged yet: its positions are not this blocklist's.
    if (this.#pendingState !== undefined || !this.#tracker.replayed()) return;
    this.#isReady = true;
    this.#lastContactAt ??= this.#now();
    this.#tracker.stopWatch();
    const admin = this.#admin;
    this.#admin = undefined;
    void admin?.disconnect().catch(() => {});
    this.#logger.info(
      {
        topics: this.#options.topics,
        applied: this.#delivery?.delivered ?? 0,
        ms: this.#now() - this.#startedAt,
      },
      'revocation topic replayed; verifier ready',
    );
    if (this.#snapshots !== undefined) {
      this.#saveTimer = setInterval(() => void this.#save(), this.#snapshots.intervalMs);
      this.#saveTimer.unref();
    }
    this.#resolveReady();
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    this.#watch.stop();
    if (!this.#isReady)
      this.#rejectReady(
        new NotReadyError({ reason: 'CLOSED', message: 'verifier closed before it was ready' }),
      );
    this.#tracker.stopWatch();
    clearInterval(this.#saveTimer);
    await this.#receipts?.stop();
    await this.#supervisor.close();
    await this.#retiredGroups.stop();
    // Nothing is delivered any more: the state and the positions agree, for the next start.
    await this.#saving;
    await this.#save();
    const admin = this.#admin ?? this.#client.admin({ retries: 1 });
    this.#admin = undefined;
    const groupIds = this.#retiredGroups.remaining(this.#supervisor.groupIds());
    await deleteConsumerGroups(admin, groupIds, { logger: this.#logger });
  }
}
