/**
 * Watches for the broker's return while the feed is out of contact, so the consumer reconnects
 * within a probe interval of the broker answering instead of sleeping out its backoff (kafkajs'
 * own retry waits grow to 10 s, the feed's restart backoff too). While in contact it sends
 * nothing at all. Kafka-client-free: it is told how to probe and what to do.
 */

/** Mean pause between probes while out of contact, ms; each pause is drawn in ±50 % of it. */
export const PROBE_INTERVAL_MS = 400;
/**
 * Silent this long beyond one fetch wait, the feed counts as cut off and probing starts, ms.
 * Probing only looks: it is what lets a real outage heal within a probe interval of the
 * broker's return, so it starts early.
 */
export const CONTACT_LOST_MS = 1_000;
/**
 * If the broker answers yet the consumer stays silent this long beyond one fetch wait, restart
 * it even though no probe saw the broker away (it came back between two probes, or a fetch
 * hangs), ms. An idle consumer is heard once per fetch wait (a heartbeat rides after a fetch,
 * never between), so everything past the wait is the machine's lateness: on a box loaded by
 * hundreds of verifiers answers come seconds late, and replacing a healthy consumer costs a new
 * group and a join at the coordinator. Real outages do not wait for this: probes see them.
 */
export const SILENT_WHILE_ANSWERING_MS = 5_000;
/** Two forced restarts are at least this far apart, ms: a flapping broker causes no storm. */
const MIN_RESTART_GAP_MS = 2_000;

/** What the watch needs from the feed. */
export interface BrokerWatchOptions {
  /** One probe of the brokers: true when one answered. Must not reject. */
  readonly probe: () => Promise<boolean>;
  /**
   * ms of silence beyond what a long poll explains (since the feed last heard from the broker,
   * less one fetch wait); `undefined` below {@link CONTACT_LOST_MS}.
   */
  readonly outOfContactMs: () => number | undefined;
  /** The broker answers again: reconnect now. */
  readonly onReturn: () => void;
  readonly now: () => number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * Probes at a jittered interval while out of contact and calls `onReturn` when the broker
 * answers after having been away (or answers while the consumer stays silent).
 *
 * @example
 * ```ts
 * const watch = new BrokerWatch({ probe, outOfContactMs, onReturn: () => restart(), now });
 * watch.start();
 * watch.stop();
 * ```
 */
export class BrokerWatch {
  readonly #options: BrokerWatchOptions;
  readonly #random: () => number;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #sawAway = false;
  #lastRestartAt = Number.NEGATIVE_INFINITY;
  /** A consumer the watch restarted is judged silent only from its restart on. */
  #silenceSince = Number.NEGATIVE_INFINITY;

  constructor(options: BrokerWatchOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    if (this.#stopped) return;
    // Full ±50 % jitter: a fleet cut off by one outage probes spread out, not in lockstep.
    const delay = PROBE_INTERVAL_MS * (0.5 + this.#random());
    this.#timer = setTimeout(() => void this.#tick(), delay);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#silentMs() === undefined) {
      this.#sawAway = false;
      this.#schedule();
      return;
    }
    const answered = await this.#options.probe();
    if (this.#stopped) return;
    // Read again: on a loaded event loop this tick's timer may have run before a fetch answer
    // already waiting, which the probe's round trip let in. Contact now is contact.
    const silentMs = this.#silentMs();
    if (silentMs === undefined) {
      this.#sawAway = false;
    } else if (!answered) {
      this.#sawAway = true;
    } else if (this.#sawAway || silentMs >= SILENT_WHILE_ANSWERING_MS) {
      const now = this.#options.now();
      if (now - this.#lastRestartAt >= MIN_RESTART_GAP_MS) {
        this.#lastRestartAt = now;
        this.#silenceSince = now;
        this.#sawAway = false;
        this.#options.onReturn();
      }
    }
    this.#schedule();
  }

  /**
   * The feed's silence, counted from the last restart at the earliest: a consumer the watch
   * just started has not had its chance to join (a busy coordinator takes seconds) and must
   * not be replaced for its predecessor's silence.
   */
  #silentMs(): number | undefined {
    const silentMs = this.#options.outOfContactMs();
    if (silentMs === undefined) return undefined;
    const sinceRestart = this.#options.now() - this.#silenceSince;
    return sinceRestart < CONTACT_LOST_MS ? undefined : Math.min(silentMs, sinceRestart);
  }
}
