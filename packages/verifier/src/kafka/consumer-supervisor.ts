/**
 * Keeps one consumer of the revocation topics running, whatever happens to it: starts it,
 * restarts it with backoff when it cannot start or crashes for good, replaces it (in a new
 * consumer group) when the broker answers again after an outage, and retires every consumer it
 * gives up on. Client-free: it creates consumers through the feed's {@link ConsumerFactory}.
 *
 * Each (re)start loop is a generation: a loop that a newer one superseded gives up. A retired
 * consumer can come back to life (kafkajs may restart it from a crash scheduled before its
 * disconnect): whatever it reports is ignored, and it is retired again.
 *
 * A restart after a crash or a failed start reuses the group; a replacement moves to a new one.
 * Once no consumer will use a group again and the last one in it has disconnected, the group is
 * reported retired, so the feed deletes it while it runs instead of at close.
 */
import { randomUUID } from 'node:crypto';
import type { VerifierLogger } from '../logger.js';
import { restartBackoff } from './backoff.js';
import type { ConsumerEvents, ConsumerFactory, FeedConsumer, PartitionPosition } from './client.js';

/** Why a (re)start loop began. */
export type StartReason =
  /** The feed started. */
  | 'feed-start'
  /** The running consumer crashed and its client gave up on it. */
  | 'crash'
  /** The broker answers again after an outage; the old consumer was replaced. */
  | 'broker-returned'
  /** The feed must read every partition from its beginning again (a snapshot was dropped). */
  | 'reread';

/** Why a consumer was retired (disconnected, its events ignored from then on). */
export type RetireReason =
  /** It failed to start; the loop backs off and tries a new one. */
  | 'start-failed'
  /** It crashed and its client gave up on it. */
  | 'crashed'
  /** A newer generation replaced it (the broker answered again). */
  | 'replaced'
  /** The feed is closing. */
  | 'closing'
  /** It was retired before, yet reported again: its client brought it back. */
  | 'revived';

/** Where the supervisor is. */
export type SupervisorState =
  /** Not started yet. */
  | 'idle'
  /** Preparing, creating or connecting a consumer. */
  | 'starting'
  /** A consumer runs. */
  | 'running'
  /** The last start failed; waiting out the backoff (or for the broker to answer again). */
  | 'backing-off'
  /** `prepare` refused: no consumer will ever run. */
  | 'refused'
  /** Closed. */
  | 'closed';

/**
 * The backoff step a loop begins at. After a crash the first retry waits one step longer than
 * at start: the consumer had been running, so the broker was reachable a moment ago.
 */
const FIRST_BACKOFF_STEP: Record<StartReason, number> = {
  'feed-start': 0,
  crash: 1,
  'broker-returned': 0,
  reread: 0,
};

/** How a backoff pause ended. */
type PauseEnd = 'elapsed' | 'woken' | 'closed';

/** Options of {@link ConsumerSupervisor}. */
export interface ConsumerSupervisorOptions {
  /** Creates the consumers. */
  readonly client: ConsumerFactory;
  /** The prefix of every consumer group id (a random suffix makes each group this instance's). */
  readonly clientId: string;
  /** Receives the events of the current consumer only. */
  readonly events: Omit<ConsumerEvents, 'crashed'>;
  /**
   * Runs before each start attempt; `'refuse'` means no consumer may ever run (the supervisor
   * stays `'refused'`). A rejection counts as a failed attempt.
   */
  readonly prepare: () => Promise<'start' | 'refuse'>;
  /** A consumer runs (after each successful start). */
  readonly onRunning: () => void;
  readonly logger: VerifierLogger;
  /** For logs: the topics read. */
  readonly topics: readonly string[];
  /** Jitter source of the backoff, in [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /**
   * A group no consumer of this instance will join again has no member of ours left (each
   * disconnected, or tried to): it may be deleted. Again if a revived consumer rejoined it.
   * Not called once closing: close deletes every group. Default: nothing.
   */
  readonly onGroupRetired?: ((groupId: string) => void) | undefined;
}

/**
 * Starts, restarts, replaces and retires the feed's consumer.
 *
 * @example
 * ```ts
 * const supervisor = new ConsumerSupervisor({ client, clientId, events, prepare, onRunning, logger, topics });
 * supervisor.start();
 * const watch = new BrokerWatch({ probe, outOfContactMs, now, onReturn: () => supervisor.brokerReturned() });
 * await supervisor.close();
 * ```
 */
export class ConsumerSupervisor {
  readonly #options: ConsumerSupervisorOptions;
  readonly #logger: VerifierLogger;
  readonly #random: () => number;
  /** Every group id this instance used: close deletes those not deleted while it ran. */
  readonly #groupIds: string[] = [];
  #groupId: string;
  /** Consumers not yet retired and disconnected, by group id: a group in use has some. */
  readonly #members = new Map<string, Set<FeedConsumer>>();
  readonly #groupOf = new WeakMap<FeedConsumer, string>();
  /** Bumped by every (re)start loop: a loop of an older generation gives up. */
  #generation = 0;
  /** The consumer being started or running; every other consumer is retired. */
  #current: FeedConsumer | undefined;
  /** Ends the backoff pause early, while one runs. */
  #wake: ((end: PauseEnd) => void) | undefined;
  #state: SupervisorState = 'idle';

  constructor(options: ConsumerSupervisorOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#random = options.random ?? Math.random;
    this.#groupId = this.#newGroupId();
  }

  /** Where the supervisor is. */
  get state(): SupervisorState {
    return this.#state;
  }

  /** A consumer is being started or runs. */
  hasConsumer(): boolean {
    return this.#current !== undefined;
  }

  /**
   * Commits positions to the running consumer's group (a receipt); false when none runs.
   */
  async commitOffsets(positions: readonly PartitionPosition[]): Promise<boolean> {
    const current = this.#current;
    if (this.#state !== 'running' || current === undefined) return false;
    await current.commitOffsets(positions);
    return true;
  }

  /** The group of the consumer being started or running. */
  get groupId(): string {
    return this.#groupId;
  }

  /** Every consumer group id used so far, the current one last. */
  groupIds(): readonly string[] {
    return [...this.#groupIds];
  }

  /** Starts the first consumer; retries with backoff until one runs. Once. */
  start(): void {
    if (this.#state !== 'idle') throw new Error('ConsumerSupervisor.start() called twice');
    void this.#supervise('feed-start');
  }

  /**
   * The broker answers again after an outage: reconnect now rather than when the client's
   * retries or our backoff would. A backoff pause ends at once; a consumer still inside its
   * client's retries is retired and a new one started under a new group id, so the old member
   * (which may linger until its session times out) cannot share the partitions with the new one.
   */
  brokerReturned(): void {
    if (this.#state === 'closed' || this.#state === 'refused' || this.#state === 'idle') return;
    const { topics } = this.#options;
    if (this.#wake !== undefined) {
      this.#logger.info({ topics }, 'broker answers again; restarting now');
      this.#wake('woken');
      return;
    }
    this.#logger.info({ topics }, 'broker answers again; replacing the revocation consumer now');
    this.#replace('broker-returned');
  }

  /**
   * Replaces the consumer by a new one in a new group, which reads every partition from its
   * beginning unless the `joined` event seeks it elsewhere.
   */
  reread(): void {
    if (this.#state === 'closed' || this.#state === 'refused' || this.#state === 'idle') return;
    this.#replace('reread');
  }

  #replace(reason: StartReason): void {
    const current = this.#current;
    const left = this.#groupId;
    this.#groupId = this.#newGroupId();
    if (current !== undefined) void this.#retire(current, 'replaced');
    else this.#groupLeft(left);
    void this.#supervise(reason);
  }

  /** Stops supervising and retires the current consumer. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#wake?.('closed');
    if (this.#current !== undefined) await this.#retire(this.#current, 'closing');
  }

  #newGroupId(): string {
    const id = `${this.#options.clientId}-${randomUUID()}`;
    this.#groupIds.push(id);
    return id;
  }

  /** One generation: start attempts with backoff until one runs or a newer loop supersedes. */
  async #supervise(reason: StartReason): Promise<void> {
    this.#generation += 1;
    const generation = this.#generation;
    const superseded = () => this.#state === 'closed' || generation !== this.#generation;
    let step = FIRST_BACKOFF_STEP[reason];
    while (!superseded()) {
      try {
        await this.#startOnce(superseded);
        return;
      } catch (error) {
        if (superseded()) return;
        const retryInMs = restartBackoff(step, this.#random);
        this.#logger.warn(
          {
            err: error,
            attempt: step,
            retryInMs,
            topics: this.#options.topics,
            groupId: this.#groupId,
          },
          'revocation consumer could not start; retrying',
        );
        if (this.#current !== undefined) await this.#retire(this.#current, 'start-failed');
        if (superseded()) return;
        this.#state = 'backing-off';
        // brokerReturned() ends the pause early, and the backoff starts over.
        const end = await this.#pause(retryInMs);
        step = end === 'woken' ? 0 : step + 1;
      }
    }
  }

  async #startOnce(superseded: () => boolean): Promise<void> {
    this.#state = 'starting';
    const verdict = await this.#options.prepare();
    if (superseded()) return;
    if (verdict === 'refuse') {
      this.#state = 'refused';
      return;
    }
    // The consumer's handlers exist before it does: they find it through this reference.
    const member: { consumer?: FeedConsumer } = {};
    const groupId = this.#groupId;
    const consumer = this.#options.client.consumer({
      groupId,
      events: this.#currentOnly(member),
      mayRestart: () => {
        if (this.#state !== 'closed' && member.consumer === this.#current) return true;
        void this.#retire(consumer, 'revived');
        return false;
      },
    });
    member.consumer = consumer;
    this.#current = consumer;
    this.#groupOf.set(consumer, groupId);
    const members = this.#members.get(groupId) ?? new Set<FeedConsumer>();
    members.add(consumer);
    this.#members.set(groupId, members);
    const abandoned = async (): Promise<boolean> => {
      if (!superseded()) return false;
      await this.#retire(consumer, this.#state === 'closed' ? 'closing' : 'replaced');
      return true;
    };
    await consumer.connect();
    if (await abandoned()) return;
    await consumer.subscribe();
    if (await abandoned()) return;
    await consumer.run();
    if (await abandoned()) return;
    this.#state = 'running';
    this.#options.onRunning();
  }

  /**
   * The feed's handlers, called only for the current consumer. A retired consumer that joins a
   * group or delivers a batch was brought back by its client: it is retired again, explicitly,
   * and nothing reaches the feed. Its contact and batch bookkeeping are ignored: it is no
   * longer the feed's source.
   */
  #currentOnly(member: { readonly consumer?: FeedConsumer }): ConsumerEvents {
    const events = this.#options.events;
    const isCurrent = (): boolean => member.consumer === this.#current;
    const revived = (): void => {
      if (member.consumer !== undefined) void this.#retire(member.consumer, 'revived');
    };
    return {
      contact: () => {
        if (isCurrent()) events.contact();
      },
      joined: (seek) => {
        if (isCurrent()) events.joined(seek);
        else revived();
      },
      batchStarting: (topic, partition, high) => {
        if (isCurrent()) events.batchStarting(topic, partition, high);
      },
      emptyBatchEnded: (topic, partition, lastOffset) => {
        if (isCurrent()) events.emptyBatchEnded(topic, partition, lastOffset);
      },
      batch: async (batch) => {
        if (isCurrent()) await events.batch(batch);
        else revived();
      },
      crashed: (error, restarting) => this.#crashed(member.consumer, error, restarting),
    };
  }

  #crashed(consumer: FeedConsumer | undefined, error: unknown, restarting: boolean): void {
    this.#logger.warn(
      { err: error, restart: restarting, groupId: this.#groupId },
      restarting
        ? 'revocation consumer crashed; its client restarts it'
        : 'revocation consumer crashed',
    );
    // The client restarts only after failures it deems retriable; a verifier must keep trying
    // whatever the cause, so the supervisor restarts it, with backoff.
    if (restarting || this.#state === 'closed' || consumer === undefined) return;
    if (consumer !== this.#current) return;
    void this.#retire(consumer, 'crashed');
    void this.#supervise('crash');
  }

  /** Disconnects a consumer for good: from now on it is not current, and its events are ignored. */
  async #retire(consumer: FeedConsumer, reason: RetireReason): Promise<void> {
    if (this.#current === consumer) this.#current = undefined;
    this.#logger.debug({ reason }, 'retiring a revocation consumer');
    await consumer.disconnect().catch((error: unknown) => {
      this.#logger.debug({ err: error, reason }, 'revocation consumer disconnect failed');
    });
    const groupId = this.#groupOf.get(consumer);
    if (groupId === undefined) return;
    this.#members.get(groupId)?.delete(consumer);
    this.#groupLeft(groupId);
  }

  /** Reports `groupId` retired if no consumer will use it again and none of ours is left in it. */
  #groupLeft(groupId: string): void {
    if (this.#state === 'closed' || groupId === this.#groupId) return;
    const members = this.#members.get(groupId);
    // A group no consumer was created in does not exist on the broker.
    if (members === undefined || members.size > 0) return;
    this.#options.onGroupRetired?.(groupId);
  }

  /** Waits `ms`, unless woken (the broker answers again) or closed first. */
  #pause(ms: number): Promise<PauseEnd> {
    return new Promise((resolve) => {
      const end = (how: PauseEnd) => {
        clearTimeout(timer);
        if (this.#wake === end) this.#wake = undefined;
        resolve(how);
      };
      const timer = setTimeout(() => end('elapsed'), ms);
      timer.unref();
      this.#wake = end;
    });
  }
}
