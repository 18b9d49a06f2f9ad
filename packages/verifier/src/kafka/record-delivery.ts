import { decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationSink } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import type { PoisonLog } from './poison-log.js';

const EMPTY = new Uint8Array(0);

/** One record as the feed read it, in client-neutral terms. */
export interface RevocationRecord {
  /** The record value; `null` for a tombstone. */
  readonly value: Uint8Array | null;
  /** The record's timestamp, ms since the epoch, as the client reports it (a string or number). */
  readonly timestamp: string | number;
  /** The brake signature header's value, if the record carried one. */
  readonly signature?: string | undefined;
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
  #delivered = 0;

  constructor(options: {
    readonly sink: RevocationSink;
    readonly poison: PoisonLog;
    readonly logger: VerifierLogger;
    readonly clockToleranceMs: number;
  }) {
    this.#sink = options.sink;
    this.#poison = options.poison;
    this.#logger = options.logger;
    this.#clockToleranceMs = options.clockToleranceMs;
  }

  /** Valid events delivered so far. */
  get delivered(): number {
    return this.#delivered;
  }

  /** Decodes one record and delivers its event, or counts it as poison. */
  deliver(record: RevocationRecord): void {
    const { topic, partition, offset } = record;
    const payload = record.value ?? EMPTY;
    const timestamp = Number(record.timestamp);
    let event;
    try {
      event = decodeEvent(payload, {
        // The record's timestamp, not our clock: every verifier judges an event the same way
        // however late it reads it.
        now: Number.isFinite(timestamp) && timestamp > 0 ? timestamp : undefined,
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
      this.#sink.event(event, { source: topic, signature: record.signature, payload });
    } catch (error) {
      this.#logger.error(
        { err: error, topic, partition, offset },
        'applying a revocation event failed',
      );
    }
  }
}
