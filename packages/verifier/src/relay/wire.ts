/**
 * What a host's revocation relay streams to the verifiers on that host: one JSON object per
 * line (NDJSON) over a long-lived HTTP response. Written by hand because it is the relay's own
 * contract — a handful of message kinds, each checked as it is read.
 *
 * - `hello` opens every stream: the relay's epoch (a new one at each relay start: sequence
 *   numbers of another epoch mean nothing) and the sequence the stream starts at.
 * - `event`: the relay's `seq`-th event: the record's value exactly as read (a brake's
 *   signature covers it), its timestamp (what the event is judged at, as the Kafka feed does),
 *   the source it was read from, a brake's signature, and the record's trace context
 *   (`traceparent`, `tracestate`) when it had one. The verifier decodes it itself.
 * - `ready`: everything the relay had applied when it became ready has been sent on this
 *   stream (sent once per stream, once the relay is ready).
 * - `contact`: how long ago the relay last heard from Kafka (null: not yet), every second.
 */
/** The path of the stream; `?epoch=&from=` resume a previous one. */
export const RELAY_STREAM_PATH = '/v1/revocations';

/** The first line of every stream. */
export interface HelloLine {
  readonly type: 'hello';
  readonly epoch: string;
  /** The sequence number of the first event this stream sends. */
  readonly from: number;
}

/** One event. */
export interface EventLine {
  readonly type: 'event';
  readonly seq: number;
  readonly source: string;
  /** The record's value, as read. */
  readonly value: string;
  /** The record's timestamp, ms. */
  readonly timestamp?: number;
  /** A brake's signature. */
  readonly signature?: string;
  /** The record's W3C `traceparent` header, when the event was traced. */
  readonly traceparent?: string;
  /** The record's W3C `tracestate` header, with a `traceparent`. */
  readonly tracestate?: string;
}

/** Everything up to the relay's readiness has been sent. */
export interface ReadyLine {
  readonly type: 'ready';
}

/** The relay's contact with Kafka. */
export interface ContactLine {
  readonly type: 'contact';
  /** ms since the relay last heard from Kafka, or null if it never has. */
  readonly ageMs: number | null;
}

/** Any line of the stream. */
export type RelayLine = HelloLine | EventLine | ReadyLine | ContactLine;

/** A line that is not one of ours. */
export class RelayLineError extends Error {
  override readonly name = 'RelayLineError';
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * Reads one line of the stream (an event's value is checked by the protocol's decoder later).
 *
 * @throws RelayLineError for anything else.
 */
export function parseRelayLine(line: string): RelayLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new RelayLineError('relay line is not JSON', { cause });
  }
  const message = value as Record<string, unknown> | null;
  switch (typeof message === 'object' && message !== null ? message['type'] : undefined) {
    case 'hello':
      if (typeof message?.['epoch'] === 'string' && isCount(message['from']))
        return { type: 'hello', epoch: message['epoch'], from: message['from'] };
      break;
    case 'ready':
      return { type: 'ready' };
    case 'contact': {
      const ageMs = message?.['ageMs'];
      if (ageMs === null || isCount(ageMs)) return { type: 'contact', ageMs };
      break;
    }
    case 'event': {
      const fields = message as Record<string, unknown>;
      const { seq, source, value, timestamp, signature, traceparent, tracestate } = fields;
      if (!isCount(seq) || typeof source !== 'string' || typeof value !== 'string') break;
      if (timestamp !== undefined && !isCount(timestamp)) break;
      if (signature !== undefined && typeof signature !== 'string') break;
      // A trace context that is not text is dropped, never a reason to refuse the event.
      const trace = typeof traceparent === 'string' ? traceparent : undefined;
      return {
        type: 'event',
        seq,
        source,
        value,
        ...(timestamp === undefined ? {} : { timestamp }),
        ...(signature === undefined ? {} : { signature }),
        ...(trace === undefined ? {} : { traceparent: trace }),
        ...(trace === undefined || typeof tracestate !== 'string' ? {} : { tracestate }),
      };
    }
  }
  throw new RelayLineError(`relay line of an unknown shape: ${line.slice(0, 120)}`);
}

/** One line, newline included. */
export function relayLine(line: RelayLine): string {
  return `${JSON.stringify(line)}\n`;
}
