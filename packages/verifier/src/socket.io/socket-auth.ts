import type { RevocationRule } from '@revocation-fabric/protocol';
import type { ExtendedError, Socket } from 'socket.io';
import type { RecentAuthOptions } from '../auth-age.js';
import { silentLogger } from '../logger.js';
import type { VerifierLogger } from '../logger.js';
import { gateEvents, resolveRecentAuthByEvent } from './event-gate.js';
import { handshake } from './handshake.js';
import { serveRefresh } from './in-band-refresh.js';
import { LiveConnections } from './live-connections.js';
import { assertSocketVerifier, subscribeToRevocations } from './socket-verifier.js';
import type { SocketVerifier } from './socket-verifier.js';
import type { SocketAuthErrorCode } from './wire-events.js';

/** Options of {@link socketAuth}. */
export interface SocketAuthOptions {
  /**
   * Re-check the token (`verifier.check`, a few map lookups) before every event the client
   * sends. Revocations are pushed anyway; this also refuses events while the verifier cannot
   * judge (`NOT_READY`, `STALE` with `onStale: 'closed'`), answering the event's
   * acknowledgement, if any, with `{ ok: false, code }`. Default `true`.
   */
  readonly checkEvents?: boolean | undefined;
  /**
   * Events that demand a recent login (RFC 9470 step-up), by event name: each is refused unless
   * the socket's token has an `auth_time` at most `maxAgeSeconds` (a positive integer) old by
   * {@link SocketAuthOptions.now}. A refused event is dropped and its acknowledgement, if the
   * client asked for one, answered `{ ok: false, code: 'INSUFFICIENT_USER_AUTHENTICATION' }`;
   * the socket stays, and an in-band refresh with the token of a fresh login lets the event
   * through. Applies whatever `checkEvents` says; `auth:refresh` cannot be listed. Default:
   * none.
   */
  readonly recentAuthByEvent?: Readonly<Record<string, RecentAuthOptions>> | undefined;
  /** Where the adapter logs (pino-compatible). Default: nowhere. */
  readonly logger?: VerifierLogger | undefined;
  /**
   * The clock, in ms since the epoch, a socket's expiry (handshake, refresh, the timer at
   * `exp`) and a login's age are judged by. Default: the verifier's (`verifier.now()`).
   */
  readonly now?: (() => number) | undefined;
}

/** Counters of one {@link SocketAuth}, for metrics and health endpoints. */
export interface SocketAuthStats {
  /** Sockets currently authenticated and indexed. */
  readonly sockets: number;
  /** Sockets admitted since creation. */
  readonly admitted: number;
  /** Handshakes refused since creation, by code. */
  readonly refusedByCode: Readonly<Partial<Record<SocketAuthErrorCode, number>>>;
  /** Sockets disconnected because a revocation rule matched their token. */
  readonly revoked: number;
  /** Sockets disconnected because their token expired without a refresh. */
  readonly expired: number;
  /** Successful in-band refreshes. */
  readonly refreshed: number;
}

/**
 * socket.io middleware that authenticates connections with a verifier and keeps them honest
 * for as long as they live. Also carries the adapter's controls.
 */
export interface SocketAuth {
  /** The middleware: `io.use(auth)` or `io.of('/game').use(auth)`. */
  (socket: Socket, next: (err?: ExtendedError) => void): void;
  /** Counters, for metrics. */
  stats(): SocketAuthStats;
  /**
   * Stops listening to the verifier and clears every expiry timer, for shutdown. Connected
   * sockets are not disconnected (closing the server does that), but as nothing watches their
   * tokens any more, their events are refused like new handshakes, with NOT_READY. Idempotent.
   */
  close(): void;
}

/**
 * Authenticates socket.io connections with a verifier, and ends them the moment their token
 * stops being valid.
 *
 * - **Handshake**: the token comes from `auth.token` or the `Authorization: Bearer` header. A
 *   refusal reaches the client as `connect_error` with `err.data = { code }` (the verifier's
 *   codes: `TOKEN_MISSING`, `TOKEN_EXPIRED`, `TOKEN_REVOKED`, `NOT_READY`, `STALE`, …).
 * - **Revocation**: admitted sockets are indexed by `jti`, `sid`, `sub` and `kid`. When the
 *   verifier applies a rule, every socket whose token it rejects receives
 *   `revoked` `{ code: 'TOKEN_REVOKED', kind, reason }` and is disconnected (the underlying
 *   connection is closed, so every namespace of that client goes with it).
 * - **Expiry**: a socket whose token reaches `exp` receives `revoked` `{ code: 'TOKEN_EXPIRED' }`
 *   and is disconnected, unless the client sent a fresh token first.
 * - **Refresh**: `socket.emit('auth:refresh', { token }, ack)` verifies the new token, requires
 *   the same `sub`, re-indexes the socket and answers `{ ok: true, exp }` or `{ ok: false, code }`.
 *
 * Read a socket's token with `socketToken(socket)`. One `socketAuth` may serve several
 * namespaces; it listens to the verifier once.
 *
 * Do not combine with socket.io's `connectionStateRecovery.skipMiddlewares`: recovered sockets
 * would skip this middleware and never be indexed.
 *
 * @example
 * ```ts
 * const auth = socketAuth(verifier, { logger });
 * io.use(auth);
 * io.on('connection', (socket) => {
 *   socket.on('move', (move, ack) => ack(play(socketToken(socket).claims.sub, move)));
 * });
 * // on shutdown
 * auth.close();
 * ```
 */
export function socketAuth(verifier: SocketVerifier, options: SocketAuthOptions = {}): SocketAuth {
  assertSocketVerifier(verifier);
  if (options.checkEvents !== undefined && typeof options.checkEvents !== 'boolean') {
    throw new TypeError('checkEvents must be a boolean');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new TypeError('now must be a function returning ms since the epoch');
  }
  const checkEvents = options.checkEvents ?? true;
  const maxAuthAgeByEvent = resolveRecentAuthByEvent(options.recentAuthByEvent);
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => verifier.now());
  const connections = new LiveConnections(now, verifier.clockToleranceMs);
  let isClosed = false;
  const closed = (): boolean => isClosed;

  const unsubscribe = subscribeToRevocations(verifier, (rule: RevocationRule, applied) => {
    const sockets = connections.cutMatching(rule, applied.trace);
    if (sockets === 0) return;
    logger.info(
      { sockets, kind: rule.kind, reason: rule.reason, eventId: rule.eventId },
      'sockets disconnected by a revocation',
    );
  });

  const { middleware, refusedByCode } = handshake({
    verifier,
    now,
    logger,
    closed,
    admit(socket, token) {
      const connection = connections.admit(socket, token);
      serveRefresh(connection, { verifier, connections, now, logger });
      if (checkEvents || maxAuthAgeByEvent.size > 0) {
        gateEvents(connection, {
          verifier,
          connections,
          closed,
          checkToken: checkEvents,
          maxAuthAgeByEvent,
          now,
        });
      }
    },
  });

  return Object.assign(middleware, {
    stats(): SocketAuthStats {
      return {
        sockets: connections.size,
        ...connections.counts,
        refusedByCode: { ...refusedByCode },
      };
    },
    close(): void {
      if (isClosed) return;
      isClosed = true;
      unsubscribe();
      connections.forgetAll();
    },
  });
}
