/**
 * The per-event gate: before every event a client sends, its socket's token is judged again
 * (`verifier.check`, a few map lookups), so no event is served on a token the verifier would
 * refuse now — revoked, expired, or unjudgeable while the verifier is not serving — and the
 * events that demand a recent login (`recentAuthByEvent`) are refused on an older one.
 */
import type { Event } from 'socket.io';
import { assertRecentAuth, resolveMaxAuthAge } from '../auth-age.js';
import { TokenExpiredError, TokenRevokedError } from '../errors.js';
import { describe } from '../lib/validate.js';
import type { Connection, LiveConnections } from './live-connections.js';
import { closedError, codeOf } from './socket-errors.js';
import type { SocketVerifier } from './socket-verifier.js';
import { REFRESH_EVENT } from './wire-events.js';
import type { RefusedEventAck } from './wire-events.js';

/** What the gate needs. */
export interface GateContext {
  readonly verifier: Pick<SocketVerifier, 'check'>;
  readonly connections: LiveConnections;
  /** Whether the adapter was closed: nothing watches revocations any more. */
  readonly closed: () => boolean;
  /** Re-judge the token with `verifier.check` before every event (`checkEvents`). */
  readonly checkToken: boolean;
  /** The longest login age each listed event accepts, in seconds, by event name. */
  readonly maxAuthAgeByEvent: ReadonlyMap<string, number>;
  /** The clock a login's age is judged by, ms since the epoch. */
  readonly now: () => number;
}

/**
 * Checks the `recentAuthByEvent` option, once: event names mapped to `{ maxAgeSeconds }`.
 *
 * @throws TypeError naming the entry at fault.
 */
export function resolveRecentAuthByEvent(value: unknown): ReadonlyMap<string, number> {
  const byEvent = new Map<string, number>();
  if (value === undefined) return byEvent;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `recentAuthByEvent must map event names to { maxAgeSeconds }, got ${describe(value)}`,
    );
  }
  for (const [event, options] of Object.entries(value)) {
    if (event === REFRESH_EVENT) {
      // The refresh is how a client brings the token of a fresh login: it cannot demand one.
      throw new TypeError(`recentAuthByEvent cannot list ${REFRESH_EVENT}`);
    }
    byEvent.set(event, resolveMaxAuthAge(options, `recentAuthByEvent[${JSON.stringify(event)}]`));
  }
  return byEvent;
}

/** Puts the gate in front of every event of the connection's socket. */
export function gateEvents(connection: Connection, context: GateContext): void {
  connection.socket.use((packet, next) => gate(connection, packet, next, context));
}

function gate(
  connection: Connection,
  packet: Event,
  next: (err?: Error) => void,
  { verifier, connections, closed, checkToken, maxAuthAgeByEvent, now }: GateContext,
): void {
  const isClosed = closed();
  // Packets already buffered when the socket was cut are dropped.
  if (!isClosed && !connections.has(connection)) return;
  try {
    if (checkToken) {
      // Once closed, nothing watches revocations for this socket any more: refuse its events.
      if (isClosed) throw closedError();
      verifier.check(connection.token);
    }
    const event = packet[0];
    // A Map keyed by configuration: an event named `__proto__` finds nothing it should not.
    const maxAgeSeconds = typeof event === 'string' ? maxAuthAgeByEvent.get(event) : undefined;
    if (maxAgeSeconds !== undefined) assertRecentAuth(connection.token, maxAgeSeconds, now());
  } catch (error) {
    if (error instanceof TokenRevokedError) {
      connections.cut([connection], {
        code: 'TOKEN_REVOKED',
        kind: error.kind,
        reason: error.reason,
      });
    } else if (error instanceof TokenExpiredError) {
      connections.cut([connection], { code: 'TOKEN_EXPIRED' });
    } else {
      // The verifier cannot judge right now, or this event wants a more recent login (the
      // client may step up and refresh in band): refuse this event without failing the socket
      // (calling next(err) would raise an `error` event the application may not handle).
      const ack = packet[packet.length - 1] as unknown;
      if (typeof ack === 'function') {
        (ack as (reply: RefusedEventAck) => void)({ ok: false, code: codeOf(error) });
      }
    }
    return;
  }
  next();
}
