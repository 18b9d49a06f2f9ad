import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationSink } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import type { RecordBatch } from './client.js';
import type { PoisonLog } from './poison-log.js';
import type { PartitionProgress } from './replay-tracker.js';

const EMPTY = new Uint8Array(0);
/** Heartbeat at least every this many records during a long replay. */
const HEARTBEAT_EVERY = 1_000;

/** One record as the feed read it, in client-neutral terms. */
export interface RevocationRecord {
  /** The record value; `null` for a tombstone. */
  readonly value: Uint8Array | null;
  /** The record's timestamp, ms since the epoch, as the client reports it (a string or number). */
  readonly timestamp: string | number;
  /** The brake signature header's value, if the record carried one. */
  readonly signature?: string | undefined;
  /** The W3C `traceparent` header's value, if the record carried one. */
  readonly traceparent?: string | undefined;
  /** The W3C `tracestate` header's value, if the record carried one. */
  readonly tracestate?: string | undefined;
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Decodes records and hands valid events to the sink, skipping (and counting) poison: a bad
 * record never stops a partition, and a sink that throws never stops the feed.
 */
export class RecordDelivery {
  readonly #sink: RevocationSink;
  readonly #poison: PoisonLog;
  readonly #logger: VerifierLogger;
  readonly #clockToleranceMs: number;
  readonly #now: () => number;
  #delivered = 0;
  #lastDeliveryAt: number | undefined;

  constructor(options: {
    readonly sink: RevocationSink;
    readonly poison: PoisonLog;
    readonly logger: VerifierLogger;
    readonly clockToleranceMs: number;
    readonly now: () => number;
  }) {
    this.#sink = options.sink;
    this.#poison = options.poison;
    this.#logger = options.logger;
    this.#clockToleranceMs = options.clockToleranceMs;
    this.#now = options.now;
  }

  /** Valid events delivered so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** When the last new record was handed on, ms since the epoch: a long batch is contact too. */
  get lastDeliveryAt(): number | undefined {
    return this.#lastDeliveryAt;
  }

  /**
   * Delivers a batch's new records, in order: those below the partition's position were
   * applied before (a restarted consumer reads from the beginning again, nothing being
   * committed) and are only resolved. Stops as soon as the batch is no longer active.
   *
   * @returns whether the whole batch was read (false: it stopped being active).
   */
  async deliverBatch(batch: RecordBatch, progress: PartitionProgress): Promise<boolean> {
    let sinceHeartbeat = 0;
    for (const record of batch.records) {
      if (!batch.active()) return false;
      if (progress.admit(record.offset, record.timestamp)) {
        this.#lastDeliveryAt = this.#now();
        this.deliver(record);
      }
      batch.resolveOffset(record.offset);
      if (++sinceHeartbeat >= HEARTBEAT_EVERY) {
        sinceHeartbeat = 0;
        await batch.heartbeat();
      }
    }
    progress.sawHigh(batch.highWatermark);
    return true;
  }

  /** Decodes one record and delivers its event, or counts it as poison. */
  deliver(record: RevocationRecord): void {
    const { topic, partition, offset } = record;
    const payload = record.value ?? EMPTY;
    const timestamp = Number(record.timestamp);
    const judgedAt = Number.isFinite(timestamp) && timestamp > 0 ? timestamp : undefined;
    let event;
    try {
      event = decodeEvent(payload, {
        // The record's timestamp, not our clock: every verifier judges an event the same way
        // however late it reads it.
        now: judgedAt,
        clockToleranceMs: this.#clockToleranceMs,
      });
    } catch (error) {
      const code = this.#poison.skip(error, { topic, partition, offset });
      try {
        this.#sink.poison(code);
      } catch (sinkError) {
        this.#logger.error({ err: sinkError }, 'counting a poison record failed');
      }
      return;
    }
    this.#delivered += 1;
    try {
      this.#sink.event(event, {
        source: topic,
        signature: record.signature,
        payload,
        timestamp: judgedAt,
        ...(record.traceparent === undefined
          ? {}
          : { trace: { traceparent: record.traceparent, tracestate: record.tracestate } }),
      });
    } catch (error) {
      this.#logger.error(
        { err: error, topic, partition, offset },
        'applying a revocation event failed',
      );
    }
  }
}
