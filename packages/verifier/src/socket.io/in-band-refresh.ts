/**
 * `auth:refresh`: a client replaces its socket's access token on the live connection, so a
 * long game outlives a short token without reconnecting.
 */
import type { VerifiedToken } from '../claims.js';
import type { VerifierLogger } from '../logger.js';
import { readRefreshToken } from './handshake-token.js';
import type { Connection, LiveConnections } from './live-connections.js';
import { codeOf } from './socket-errors.js';
import type { SocketVerifier } from './socket-verifier.js';
import { REFRESH_EVENT } from './wire-events.js';
import type { RefreshAck } from './wire-events.js';

/** What a refresh needs. */
export interface RefreshContext {
  readonly verifier: Pick<SocketVerifier, 'verify'>;
  readonly connections: LiveConnections;
  readonly now: () => number;
  readonly logger: VerifierLogger;
}

/** Answers the connection's `auth:refresh` requests for as long as it lives. */
export function serveRefresh(connection: Connection, context: RefreshContext): void {
  connection.socket.on(REFRESH_EVENT, (request: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (value: RefreshAck) => void) : () => {};
    void refresh(connection, request, reply, context);
  });
}

/**
 * Verifies the new token, requires the same `sub` and a future `exp` by the adapter's clock,
 * then swaps it in (re-indexed, expiry re-armed). Concurrent refreshes: the last to complete
 * wins; each was verified on its own.
 */
async function refresh(
  connection: Connection,
  request: unknown,
  reply: (ack: RefreshAck) => void,
  { verifier, connections, now, logger }: RefreshContext,
): Promise<void> {
  let verified: VerifiedToken;
  try {
    verified = await verifier.verify(readRefreshToken(request));
  } catch (error) {
    const code = codeOf(error);
    if (code === 'INTERNAL_ERROR') logger.error({ err: error }, 'socket refresh failed');
    reply({ ok: false, code });
    return;
  }
  // Cut while the new token was being verified: the client learns it from the disconnect.
  if (!connections.has(connection)) return;
  // The same `sub` at another issuer is another person.
  if (
    verified.claims.sub !== connection.facts.sub ||
    verified.claims.iss !== connection.facts.iss
  ) {
    reply({ ok: false, code: 'SUBJECT_MISMATCH' });
    return;
  }
  if (verified.claims.exp * 1000 <= now()) {
    reply({ ok: false, code: 'TOKEN_EXPIRED' });
    return;
  }
  connections.replace(connection, verified);
  reply({ ok: true, exp: verified.claims.exp });
}
