/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/) in a revocation record's headers: the
 * context of the span that created the event travels with it, so every verifier's apply (and
 * each socket it cuts) joins the trace of the request that revoked. The headers are a part of
 * the topic's contract, written by the publisher's outbox and read by every verifier, so their
 * names and the `traceparent` format are defined here, once, without any tracing library.
 */

/** The record header carrying the creating span's `traceparent` (`00-<trace>-<span>-<flags>`). */
export const TRACEPARENT_HEADER = 'traceparent';

/** The record header carrying the vendor-specific `tracestate`, when the context had one. */
export const TRACESTATE_HEADER = 'tracestate';

/** A span context as W3C Trace Context headers. */
export interface TraceContextHeaders {
  /** `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
  readonly traceparent: string;
  /** The `tracestate` list, passed on untouched; absent when empty. */
  readonly tracestate?: string | undefined;
}

/** A `traceparent`'s fields. */
export interface TraceParent {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** The trace flags byte (bit 0: sampled). */
  readonly traceFlags: number;
}

// Version 00 has exactly four fields; a later version may append more after a dash, and its
// first four are read the same way (the specification's forward compatibility rule).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Reads a `traceparent` header; `undefined` for anything the specification says to ignore
 * (version `ff`, all-zero ids, extra fields on version 00, upper-case hex).
 *
 * @example
 * ```ts
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { traceId: '4bf9…4736', spanId: '00f0…02b7', traceFlags: 1 }
 * ```
 */
export function parseTraceparent(value: string): TraceParent | undefined {
  const match = TRACEPARENT.exec(value);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === undefined || traceId === undefined || spanId === undefined) return undefined;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags ?? '00', 16) };
}

/**
 * Writes a version-00 `traceparent`.
 *
 * @throws TypeError when an id is not lowercase hex of its length or the flags are not a byte.
 * @example
 * ```ts
 * formatTraceparent({ traceId, spanId, traceFlags: 1 }); // '00-<traceId>-<spanId>-01'
 * ```
 */
export function formatTraceparent(parent: TraceParent): string {
  const { traceId, spanId, traceFlags } = parent;
  const flags = Number.isInteger(traceFlags) && traceFlags >= 0 && traceFlags <= 0xff;
  const value = `00-${traceId}-${spanId}-${flags ? traceFlags.toString(16).padStart(2, '0') : ''}`;
  if (!flags || parseTraceparent(value) === undefined) {
    throw new TypeError(`formatTraceparent: not a valid span context: ${JSON.stringify(parent)}`);
  }
  return value;
}
