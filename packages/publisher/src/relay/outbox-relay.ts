/**
 * The outbox relay: publishes committed revocation events in allocation order through a
 * {@link RevocationPublisher}, retrying with capped backoff while the broker is away, under a
 * leadership that lets exactly one instance relay per database (see leadership.ts).
 */
import { TopicRetentionTooShortError } from '@revocation-fabric/protocol';
import { Backoff } from './backoff.js';
import { withLeadership } from './leadership.js';
import { Pause } from './pause.js';
import { publishBatches } from './publish-batches.js';
import { PurgeSchedule } from './purge.js';
import { resolveRelayOptions } from './relay-options.js';
import type { OutboxRelayOptions, ResolvedRelayOptions } from './relay-options.js';
import type { RelayState, RelayStatus } from './relay-status.js';

/**
 * Relays the outbox.
 *
 * @example
 * ```ts
 * const relay = new OutboxRelay({ db, dialect: 'postgres', publisher: kafkaPublisher({ brokers }) });
 * relay.start();
 * // after each commit that enqueued events:
 * relay.wake();
 * await relay.stop();
 * ```
 */
export class OutboxRelay<DB = unknown> {
  private readonly options: ResolvedRelayOptions<DB>;
  private readonly pause = new Pause();
  private readonly backoff: Backoff;
  private readonly purge: PurgeSchedule;
  private readonly state: RelayState = {
    leader: false,
    kafkaHealthy: true,
    lastError: undefined,
    published: 0,
  };
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(options: OutboxRelayOptions<DB>) {
    this.options = resolveRelayOptions(options);
    const { firstRetryDelayMs, maxRetryDelayMs, purgeIntervalMs, retentionMs } = this.options;
    this.backoff = new Backoff(firstRetryDelayMs, maxRetryDelayMs);
    this.purge = new PurgeSchedule({
      everyMs: purgeIntervalMs,
      retentionMs,
      now: this.options.now,
      logger: this.options.logger,
    });
  }

  /** Starts relaying in the background. Idempotent; a stopped relay may start again. */
  start(): void {
    if (this.loop !== undefined) return;
    this.stopping = false;
    this.loop = this.run().catch((error: unknown) => {
      this.options.logger.error({ err: error }, 'outbox relay stopped by an unexpected error');
    });
  }

  /**
   * Connects the publisher ahead of the first event, giving up quietly after `timeoutMs`: the
   * relay keeps trying on its own, and a broker outage must not stop the service starting. A
   * topic that is there but would delete rules too early is another matter: no retry mends it,
   * so that refusal is thrown, and the service start fails with it.
   *
   * @returns true when the publisher connected in time.
   * @throws the protocol's {@link TopicRetentionTooShortError} when the publisher's `connect`
   *   found the topic's retention too short within `timeoutMs`.
   */
  async prepare(timeoutMs: number): Promise<boolean> {
    const { publisher, logger } = this.options;
    if (publisher.connect === undefined) return true;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve(false);
      }, timeoutMs);
    });
    const connected = publisher.connect().then(
      () => true,
      (error: unknown) => {
        if (error instanceof TopicRetentionTooShortError) {
          if (!timedOut) throw error;
          // Too late to stop the start: the service runs, and says so loudly.
          logger.error({ err: error, code: error.code }, error.message);
          return false;
        }
        logger.warn(
          { err: error },
          'publisher could not connect at start (broker away, or the topic could not be checked); the relay keeps trying',
        );
        return false;
      },
    );
    try {
      return await Promise.race([connected, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Publishes soon: call it after a transaction that enqueued events committed. */
  wake(): void {
    this.pause.wake();
  }

  /** Stops relaying and closes the publisher. Unsent events stay in the outbox. */
  async stop(): Promise<void> {
    if (this.loop === undefined) return;
    this.stopping = true;
    this.pause.interruptAll();
    const loop = this.loop;
    // A send stuck on an unreachable broker must not hold shutdown for long; its events stay
    // unmarked and are sent again by whoever relays next.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, this.options.stopGraceMs);
    });
    await Promise.race([loop, grace]);
    clearTimeout(timer);
    await this.options.publisher.close().catch(() => undefined);
    this.loop = undefined;
  }

  /** The relay's current state. */
  status(): RelayStatus {
    return { running: this.loop !== undefined && !this.stopping, ...this.state };
  }

  private async run(): Promise<void> {
    const { db, dialect, lockId, logger, leadershipRetryMs } = this.options;
    while (!this.stopping) {
      try {
        await withLeadership(db, dialect, lockId, async (connection) => {
          this.setLeader(true);
          if (dialect === 'postgres') logger.info({}, 'outbox relay leadership acquired');
          try {
            await publishBatches(connection, {
              options: this.options,
              state: this.state,
              pause: this.pause,
              backoff: this.backoff,
              purge: this.purge,
              keepGoing: () => !this.stopping,
              probeVerdict: undefined,
            });
          } finally {
            this.setLeader(false);
          }
        });
      } catch (error) {
        logger.warn({ err: error }, 'outbox relay hit a database error; retrying');
      }
      this.setLeader(false);
      if (!this.stopping) await this.pause.wait(leadershipRetryMs, false);
    }
  }

  private setLeader(leader: boolean): void {
    if (this.state.leader === leader) return;
    this.state.leader = leader;
    this.options.observer.leaderChanged?.(leader);
  }
}
