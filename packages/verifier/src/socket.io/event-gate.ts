/**
 * The per-event gate: before every event a client sends, its socket's token is judged again
 * (`verifier.check`, a few map lookups), so no event is served on a token the verifier would
 * refuse now — revoked, expired, or unjudgeable while the verifier is not serving.
 */
import type { Event } from 'socket.io';
import { TokenExpiredError, TokenRevokedError } from '../errors.js';
import type { Connection, LiveConnections } from './live-connections.js';
import { closedError, codeOf } from './socket-errors.js';
import type { SocketVerifier } from './socket-verifier.js';
import type { RefusedEventAck } from './wire-events.js';

/** What the gate needs. */
export interface GateContext {
  readonly verifier: Pick<SocketVerifier, 'check'>;
  readonly connections: LiveConnections;
  /** Whether the adapter was closed: nothing watches revocations any more. */
  readonly closed: () => boolean;
}

/** Puts the gate in front of every event of the connection's socket. */
export function gateEvents(connection: Connection, context: GateContext): void {
  connection.socket.use((packet, next) => gate(connection, packet, next, context));
}

function gate(
  connection: Connection,
  packet: Event,
  next: (err?: Error) => void,
  { verifier, connections, closed }: GateContext,
): void {
  const isClosed = closed();
  // Packets already buffered when the socket was cut are dropped.
  if (!isClosed && !connections.has(connection)) return;
  try {
    // Once closed, nothing watches revocations for this socket any more: refuse its events.
    if (isClosed) throw closedError();
    verifier.check(connection.token);
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
      // The verifier cannot judge right now: refuse this event without failing the socket
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
