/**
 * Security Event Token checks (RFC 8417, SSF 1.0 §4 / §10): `typ: secevent+jwt`, signature
 * against the transmitter's keys with the pinned algorithms, `iss`, `aud`, `iat` window, `jti`
 * present (replay is the database's check), exactly one event in `events`, and its subject:
 * `sub_id` (SSF 1.0) or the event's `subject` (CAEP before SSF 1.0).
 */
import type { JWTVerifyGetKey } from 'jose';
import { refuse } from '../signals/refusal.js';
import type { SecurityEventSignal } from '../signals/signal.js';
import { checkIssuedAt, checkJti, isJsonObject } from './claim-checks.js';
import { verifyJws } from './verify-jws.js';

/**
 * An `event_timestamp` at or above this is read as milliseconds: 1e11 seconds is the year 5138,
 * 1e11 ms is 1973-03-03. Below it, seconds (the standard); a genuine future cutoff in seconds
 * stays a future cutoff and is refused as such.
 */
export const MILLISECOND_TIMESTAMP_FLOOR = 1e11;

/** What a SET is checked against. */
export interface SetExpectations {
  readonly keys: JWTVerifyGetKey;
  readonly algorithms: readonly string[];
  /** The transmitter's issuer. */
  readonly issuer: string;
  /** What `aud` must contain. */
  readonly audience: string | readonly string[];
  /** ms since the epoch. */
  readonly now: number;
  readonly maxAgeMs: number;
  readonly clockToleranceMs: number;
}

/**
 * Verifies a SET.
 *
 * @example
 * ```ts
 * const signal = await verifySet(body, { keys, algorithms: ['RS256'], issuer, audience,
 *   now: Date.now(), maxAgeMs: 86_400_000, clockToleranceMs: 5000 });
 * ```
 * @throws {@link SignalRefusedError} naming the failed rule.
 */
export async function verifySet(
  token: string,
  expect: SetExpectations,
): Promise<SecurityEventSignal> {
  const { payload } = await verifyJws(token, {
    keys: expect.keys,
    algorithms: expect.algorithms,
    issuer: expect.issuer,
    audience: expect.audience,
    types: ['secevent+jwt'],
    now: expect.now,
    clockToleranceMs: expect.clockToleranceMs,
  });
  const issuedAt = checkIssuedAt(payload, expect);
  const jti = checkJti(payload);
  const { events } = payload as { events?: unknown };
  if (events === undefined) throw refuse('EVENTS_MISSING', 'the SET has no events claim');
  if (!isJsonObject(events)) throw refuse('EVENT_INVALID', 'events must be a JSON object');
  const entries = Object.entries(events);
  const [only] = entries;
  if (only === undefined || entries.length !== 1) {
    throw refuse('EVENT_INVALID', `a SET must carry exactly one event (got ${entries.length})`);
  }
  const [eventType, event] = only;
  if (!isJsonObject(event)) throw refuse('EVENT_INVALID', 'the event must be a JSON object');
  const timestamp = event['event_timestamp'];
  if (timestamp !== undefined && (typeof timestamp !== 'number' || !Number.isFinite(timestamp))) {
    throw refuse('EVENT_INVALID', 'event_timestamp must be a NumericDate');
  }
  // A NumericDate is seconds, yet some transmitters fill event_timestamp in milliseconds. Read
  // as seconds, a value this large lies past the year 5000; read as ms, it is a time since
  // 1973: unambiguous, so it is taken as ms (and counted as non-conforming by the caller).
  const inMs = timestamp !== undefined && timestamp >= MILLISECOND_TIMESTAMP_FLOOR;
  const subject = (payload as { sub_id?: unknown }).sub_id ?? event['subject'];
  return {
    type: 'security-event',
    jti,
    issuedAt,
    eventType,
    event,
    subject,
    eventTimestamp:
      timestamp === undefined ? undefined : Math.round(inMs ? timestamp : timestamp * 1000),
    eventTimestampInMs: inMs,
    replayGuardUntil: issuedAt + expect.maxAgeMs + 2 * expect.clockToleranceMs,
  };
}
