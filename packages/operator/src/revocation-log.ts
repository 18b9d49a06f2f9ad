/**
 * The topic decoded: every record as the revocation event it states (or why it is not one),
 * with where it sits in the topic. Decoding is the protocol's own (`decodeEvent`), so what the
 * operator sees is what a verifier would judge; authority (which source may speak for which
 * issuer) and brake signatures are the verifier's judgement and are only reported here.
 */
import { REVOCATION_SIGNATURE_HEADER, decodeEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import type { OperatorKafka, PartitionRange, TopicRecord } from './kafka-client.js';

/** One record of the revocation topic, decoded. */
export interface LoggedRevocation {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's timestamp, ms since the epoch. */
  readonly timestamp: number;
  readonly key: string | undefined;
  /** The event, when the record holds a valid one. */
  readonly event?: RevocationEvent | undefined;
  /** Why the record is not a valid event (a verifier skips it and counts it as poison). */
  readonly invalid?: { readonly code: string; readonly message: string } | undefined;
  /** The record carries a brake signature (`global` and `key` rules need one). */
  readonly signed: boolean;
  /**
   * The brake signature (a detached JWS) and the record value it covers, as read: kept for
   * signed records only (brakes are few), so a reader can check it against the issuer's keys.
   */
  readonly brakeSignature?: { readonly signature: string; readonly payload: string } | undefined;
  /** W3C trace context of the request that revoked, when the producer traced it. */
  readonly traceparent?: string | undefined;
}

/** Decodes one record. Never throws: a bad record is reported as `invalid`. */
export function decodeRecord(record: TopicRecord): LoggedRevocation {
  const signature = record.headers[REVOCATION_SIGNATURE_HEADER];
  const common = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key,
    signed: signature !== undefined,
    ...(signature === undefined || record.value === null
      ? {}
      : { brakeSignature: { signature, payload: record.value.toString('utf8') } }),
    traceparent: record.headers.traceparent,
  };
  if (record.value === null)
    return { ...common, invalid: { code: 'TOMBSTONE', message: 'a record without a value' } };
  try {
    // The clock is the reader's: a cutoff in the future is reported as the verifier reports it.
    return { ...common, event: decodeEvent(record.value) };
  } catch (error) {
    const code =
      typeof error === 'object' &&
      error !== null &&
      'code' in error &&
      typeof error.code === 'string'
        ? error.code
        : 'INVALID';
    return {
      ...common,
      invalid: { code, message: error instanceof Error ? error.message : String(error) },
    };
  }
}

/** Options of {@link readRevocations}. */
export interface ReadRevocationsOptions {
  readonly topic: string;
  /** Only the last `last` records of each partition. Default: all. */
  readonly last?: number | undefined;
  /** Called for each record as it is read (progress). */
  readonly onRecord?: ((revocation: LoggedRevocation) => void) | undefined;
  /** Called with the partitions' offsets once read, before the first record (a progress total). */
  readonly onStart?: ((ranges: readonly PartitionRange[]) => void) | undefined;
}

/**
 * Reads the topic up to the high-water marks of the moment, decoded, in (partition, offset)
 * order.
 *
 * @example
 * ```ts
 * const all = await readRevocations(kafka, { topic: 'auth.revocations' });
 * const bans = all.filter((r) => r.event?.reason === 'ban');
 * ```
 */
export async function readRevocations(
  kafka: OperatorKafka,
  options: ReadRevocationsOptions,
): Promise<LoggedRevocation[]> {
  const ranges = await kafka.partitionRanges(options.topic);
  options.onStart?.(ranges);
  const from = new Map(
    ranges.map(({ partition, low, high }) => [
      partition,
      options.last === undefined ? low : Math.max(low, high - options.last),
    ]),
  );
  const until = new Map(ranges.map(({ partition, high }) => [partition, high]));
  const read: LoggedRevocation[] = [];
  await kafka.read({
    topic: options.topic,
    from,
    until,
    onRecord: (record) => {
      const revocation = decodeRecord(record);
      read.push(revocation);
      options.onRecord?.(revocation);
    },
  });
  return read.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Options of {@link followRevocations}. */
export interface FollowRevocationsOptions {
  readonly topic: string;
  /** Start with the last `last` records of each partition; default 0 (only new ones). */
  readonly last?: number | undefined;
  readonly onRevocation: (revocation: LoggedRevocation) => void;
  /**
   * Called with the partitions' offsets the follow starts from, before the first record: every
   * record published after this call is delivered.
   */
  readonly onStart?: ((ranges: readonly PartitionRange[]) => void) | undefined;
  /** Ends the follow. */
  readonly signal: AbortSignal;
}

/**
 * Follows the topic live, decoded; resolves once `signal` aborts.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * void followRevocations(kafka, { topic, onRevocation: (r) => console.log(r.event), signal: stop.signal });
 * ```
 */
export async function followRevocations(
  kafka: OperatorKafka,
  options: FollowRevocationsOptions,
): Promise<void> {
  const last = options.last ?? 0;
  const ranges = await kafka.partitionRanges(options.topic);
  options.onStart?.(ranges);
  await kafka.read({
    topic: options.topic,
    from: new Map(
      ranges.map(({ partition, low, high }) => [partition, Math.max(low, high - last)]),
    ),
    onRecord: (record) => options.onRevocation(decodeRecord(record)),
    signal: options.signal,
  });
}
