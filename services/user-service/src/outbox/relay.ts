/**
 * The outbox relay: publishes committed revocation events to Kafka in allocation order, marks
 * them sent once Kafka acknowledged them (acks=all), and retries with capped exponential backoff
 * while Kafka is away. A crash between the acknowledgement and the mark re-sends the batch on
 * restart: duplicates are harmless because rules merge idempotently; nothing is ever lost,
 * because an event is only marked after its acknowledgement.
 *
 * Several instances on one PostgreSQL database: exactly one relays at a time. Each tries to take
 * a session-level advisory lock on a connection it then keeps for all its relay queries; the
 * holder relays, the others retry the lock every few seconds and take over when the holder's
 * connection closes (stop, crash, network loss). A single relay keeps the events of one key in
 * allocation order — which per target is commit order, since every cutoff locks its user (or the
 * global) row before writing its outbox row — so log compaction keeps the strongest event of a
 * target. Order across targets does not matter: rules commute. SQLite is one instance per file.
 */
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { LogEntry, Producer } from 'kafkajs';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { ensureRevocationTopic } from '@revocation-fabric/protocol';
import type { UserServiceConfig } from '../config.js';
import type { DataStore } from '../db/connect.js';
import type { Executor } from '../db/schema.js';
import type { ServiceMetrics } from '../metrics.js';
import { markSent, pendingEvents, purgeSent, recordAttemptFailed } from './store.js';

/** PostgreSQL advisory-lock id of the relay leadership; any constant shared by all instances. */
const RELAY_LOCK_ID = 7_266_110_123_451;

const FIRST_RETRY_DELAY_MS = 250;
const LEADERSHIP_RETRY_MS = 2000;
const PURGE_EVERY_MS = 3_600_000;
const STOP_GRACE_MS = 5000;

/** What the relay is doing, for health output and tests. */
export interface RelayStatus {
  /** The loop runs (start() called and stop() not). */
  readonly running: boolean;
  /** This instance holds the relay leadership (always true on SQLite while running). */
  readonly leader: boolean;
  /** The last publish attempt succeeded (or none failed yet). */
  readonly kafkaHealthy: boolean;
  /** The last error's message, if the last attempt failed. */
  readonly lastError: string | undefined;
  /** Events published by this instance since it started. */
  readonly published: number;
}

/** Dependencies of an {@link OutboxRelay}. */
export interface OutboxRelayOptions {
  readonly store: DataStore;
  readonly kafka: UserServiceConfig['kafka'];
  readonly outbox: UserServiceConfig['outbox'];
  /** Longest token lifetime in ms, for the topic's retention when the relay creates it. */
  readonly maxTokenLifetimeMs: number;
  readonly clockToleranceMs: number;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly now?: () => number;
}

/** A wait that ends early on wake() (if wakeable) or on stop(). */
class Pause {
  /** A wake() that arrived while nobody waited: the next wakeable wait returns at once. */
  private pending = false;
  private readonly waiters = new Set<{ readonly wakeable: boolean; readonly end: () => void }>();

  wait(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter = {
        wakeable,
        end: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.end, ms);
      this.waiters.add(waiter);
    });
  }

  wake(): void {
    let woke = false;
    for (const waiter of [...this.waiters]) {
      if (waiter.wakeable) {
        waiter.end();
        woke = true;
      }
    }
    if (!woke) this.pending = true;
  }

  interruptAll(): void {
    for (const waiter of [...this.waiters]) waiter.end();
  }
}

/**
 * Relays the outbox to Kafka.
 *
 * @example
 * ```ts
 * const relay = new OutboxRelay({ store, kafka, outbox, maxTokenLifetimeMs, clockToleranceMs, logger, metrics });
 * relay.start();
 * // after a commit that wrote events:
 * relay.wake();
 * await relay.stop();
 * ```
 */
export class OutboxRelay {
  private readonly options: OutboxRelayOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly client: Kafka;
  private readonly pause = new Pause();
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private topicReady = false;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private retryDelayMs = FIRST_RETRY_DELAY_MS;
  private lastPurgeAt = 0;
  private state: {
    leader: boolean;
    kafkaHealthy: boolean;
    lastError: string | undefined;
    published: number;
  } = { leader: false, kafkaHealthy: true, lastError: undefined, published: 0 };

  constructor(options: OutboxRelayOptions) {
    this.options = options;
    this.logger = options.logger.child({ component: 'outbox-relay' });
    this.now = options.now ?? Date.now;
    const kafkaLogger = this.logger.child({ component: 'kafkajs' });
    this.client = new Kafka({
      clientId: options.kafka.clientId,
      brokers: [...options.kafka.brokers],
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      // The relay has its own backoff loop; kafkajs' retries only cover short blips.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const { message, ...extra } = entry.log;
        const fields = { namespace: entry.namespace, ...extra };
        // kafkajs reports every reconnect attempt as an error; our own failure log is enough.
        if (entry.level <= logLevel.WARN) kafkaLogger.debug(fields, message);
      },
    });
  }

  /** Starts relaying in the background. Idempotent. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.loop = this.run().catch((error: unknown) => {
      this.logger.error({ err: error }, 'outbox relay stopped by an unexpected error');
    });
  }

  /**
   * Connects to Kafka and creates the revocation topic if needed, giving up quietly after
   * `timeoutMs`: the relay keeps trying on its own, a broker outage must not stop the service.
   *
   * @returns true when Kafka answered in time.
   */
  async prepare(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const connected = this.connectedProducer().then(
      () => true,
      (error: unknown) => {
        this.logger.warn({ err: error }, 'Kafka not reachable at start; the relay keeps trying');
        return false;
      },
    );
    const result = await Promise.race([connected, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Publishes soon: called after a transaction that wrote events committed. */
  wake(): void {
    this.pause.wake();
  }

  /** Stops relaying and disconnects from Kafka. Unsent events stay in the outbox. */
  async stop(): Promise<void> {
    if (this.loop === undefined) return;
    this.stopping = true;
    this.pause.interruptAll();
    const loop = this.loop;
    // A send stuck on an unreachable broker must not hold shutdown for long; its events stay
    // unmarked and are sent again by whoever relays next.
    await Promise.race([loop, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
    await this.disconnectProducer();
    this.loop = undefined;
  }

  /** The relay's current state. */
  status(): RelayStatus {
    return { running: this.loop !== undefined && !this.stopping, ...this.state };
  }

  private async run(): Promise<void> {
    const { store } = this.options;
    while (!this.stopping) {
      try {
        if (store.dialect === 'sqlite') {
          this.setLeader(true);
          await this.relay(store.db, () => true);
        } else {
          await this.leadAndRelay();
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox relay hit a database error; retrying');
      }
      this.setLeader(false);
      if (!this.stopping) await this.pause.wait(LEADERSHIP_RETRY_MS, false);
    }
  }

  /** PostgreSQL: relay while holding the advisory lock on one dedicated connection. */
  private async leadAndRelay(): Promise<void> {
    await this.options.store.db.connection().execute(async (connection) => {
      const { rows } = await sql<{
        locked: boolean;
      }>`select pg_try_advisory_lock(${RELAY_LOCK_ID}::bigint) as locked`.execute(connection);
      if (rows[0]?.locked !== true) return;
      this.setLeader(true);
      this.logger.info('outbox relay leadership acquired');
      try {
        await this.relay(connection, () => !this.stopping);
      } finally {
        this.setLeader(false);
        await sql`select pg_advisory_unlock(${RELAY_LOCK_ID}::bigint)`
          .execute(connection)
          .catch(() => {
            // The connection is gone, and with it the lock.
          });
      }
    });
  }

  private setLeader(leader: boolean): void {
    this.state.leader = leader;
    this.options.metrics.relayLeader.set(leader ? 1 : 0);
  }

  /** Relays until stopped; throws when the database fails, so leadership is re-acquired. */
  private async relay(db: Executor, keepGoing: () => boolean): Promise<void> {
    const { batchSize, pollIntervalMs } = this.options.outbox;
    while (!this.stopping && keepGoing()) {
      await this.purgeIfDue(db);
      const batch = await pendingEvents(db, batchSize);
      if (batch.length === 0) {
        await this.pause.wait(pollIntervalMs, true);
        continue;
      }
      const ids = batch.map((event) => event.id);
      try {
        const producer = await this.connectedProducer();
        await producer.send({
          topic: this.options.kafka.topic,
          acks: -1,
          timeout: 10_000,
          messages: batch.map((event) => ({
            key: event.messageKey,
            value: event.payload,
            headers: { 'event-id': event.eventId },
          })),
        });
      } catch (error) {
        await this.publishFailed(db, ids, error);
        continue;
      }
      await markSent(db, ids, this.now());
      this.options.metrics.published.inc(batch.length);
      this.state.published += batch.length;
      if (!this.state.kafkaHealthy) this.logger.info('outbox relay is publishing again');
      this.state.kafkaHealthy = true;
      this.state.lastError = undefined;
      this.retryDelayMs = FIRST_RETRY_DELAY_MS;
    }
  }

  private async publishFailed(db: Executor, ids: number[], error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.options.metrics.publishFailures.inc();
    if (this.state.kafkaHealthy) {
      this.logger.warn(
        { err: error, events: ids.length },
        'outbox publish failed; retrying with backoff',
      );
    } else {
      this.logger.debug({ err: error, events: ids.length }, 'outbox publish failed again');
    }
    this.state.kafkaHealthy = false;
    this.state.lastError = message;
    await recordAttemptFailed(db, ids, message);
    // A producer that failed may hold a broken connection or idempotence state: start afresh.
    await this.disconnectProducer();
    const delay = Math.random() * this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, this.options.outbox.maxRetryDelayMs);
    await this.pause.wait(Math.max(50, delay), false);
  }

  private connectedProducer(): Promise<Producer> {
    // One connection attempt at a time, shared by prepare() and the relay loop.
    this.connecting ??= this.connectProducer().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectProducer(): Promise<Producer> {
    if (this.producer !== undefined) return this.producer;
    if (!this.topicReady) await this.ensureTopic();
    const producer = this.client.producer({
      // Idempotence (one in-flight request, acks=all) keeps kafkajs' own retries from
      // duplicating or reordering records within a producer session.
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 partitioning by key, like every other Kafka client.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.client.admin();
    try {
      await admin.connect();
      const { created, spec } = await ensureRevocationTopic(admin, {
        topic: this.options.kafka.topic,
        partitions: this.options.kafka.partitions,
        replicationFactor: this.options.kafka.replicationFactor,
        maxTokenLifetimeMs: this.options.maxTokenLifetimeMs,
        clockToleranceMs: this.options.clockToleranceMs,
      });
      if (created) this.logger.info({ topic: spec.topic }, 'revocation topic created');
      this.topicReady = true;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer !== undefined) await producer.disconnect().catch(() => undefined);
  }

  private async purgeIfDue(db: Executor): Promise<void> {
    const now = this.now();
    if (now - this.lastPurgeAt < PURGE_EVERY_MS) return;
    this.lastPurgeAt = now;
    const purged = await purgeSent(db, now - this.options.outbox.retentionMs);
    if (purged > 0) this.logger.info({ purged }, 'purged published outbox events');
  }
}
