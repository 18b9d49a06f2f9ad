import type { RevocationRule, TokenFacts } from '@revocation-fabric/protocol';
import type { Event, ExtendedError, Socket } from 'socket.io';
import { factsOf } from '../claims.js';
import type { VerifiedToken } from '../claims.js';
import {
  NotReadyError,
  TokenExpiredError,
  TokenMalformedError,
  TokenRevokedError,
  VerifierError,
} from '../errors.js';
import { silentLogger } from '../logger.js';
import type { VerifierLogger } from '../logger.js';
import type { Verifier } from '../verifier.js';
import { readHandshakeToken, readToken } from './handshake-token.js';
import { REFRESH_EVENT, REVOKED_EVENT } from './wire-events.js';
import type {
  RefreshAck,
  RefusedEventAck,
  RevokedPayload,
  SocketAuthErrorCode,
  SocketAuthErrorData,
} from './wire-events.js';
import { SocketIndex } from './socket-index.js';

/** Options of {@link socketAuth}. */
export interface SocketAuthOptions {
  /**
   * Re-check the token (`verifier.check`, a few map lookups) before every event the client
   * sends. Revocations are pushed anyway; this also refuses events while the verifier cannot
   * judge (`NOT_READY`, `STALE` with `onStale: 'closed'`), answering the event's
   * acknowledgement, if any, with `{ ok: false, code }`. Default `true`.
   */
  readonly checkEvents?: boolean | undefined;
  /** Where the adapter logs (pino-compatible). Default: nowhere. */
  readonly logger?: VerifierLogger | undefined;
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
 * socket.io middleware that authenticates connections with a {@link Verifier} and keeps them
 * honest for as long as they live. Also carries the adapter's controls.
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

/** Values the data of an authenticated socket carries; use it as socket.io's `SocketData`. */
export interface SocketAuthData {
  /** The socket's current access token, replaced by every successful refresh. */
  auth: VerifiedToken;
}

/** One authenticated socket: what the index and the timers need. */
interface Connection {
  readonly socket: Socket;
  token: VerifiedToken;
  facts: TokenFacts;
  timer: NodeJS.Timeout | undefined;
  readonly release: () => void;
}

/** Sockets ended per event-loop turn when one rule matches many. */
const CUT_BATCH = 500;

/** setTimeout's longest delay; longer waits are re-armed. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const connections = new WeakMap<Socket, Connection>();

/**
 * The verified access token of a socket admitted by {@link socketAuth}, kept current by
 * in-band refreshes.
 *
 * @example
 * ```ts
 * io.on('connection', (socket) => {
 *   const { claims } = socketToken(socket);
 *   socket.join(`user:${claims.sub}`);
 * });
 * ```
 * @throws TypeError when the socket did not pass through `socketAuth` (a wiring mistake).
 */
export function socketToken(socket: Socket): VerifiedToken {
  const connection = connections.get(socket);
  if (connection === undefined) {
    throw new TypeError('socketToken: this socket was not authenticated by socketAuth(verifier)');
  }
  return connection.token;
}

function codeOf(error: unknown): SocketAuthErrorCode {
  return error instanceof VerifierError ? error.code : 'INTERNAL_ERROR';
}

function connectError(code: SocketAuthErrorCode, message: string): ExtendedError {
  const data: SocketAuthErrorData = { code };
  return Object.assign(new Error(message), { data });
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
 * The token is available as `socket.data.auth` and through {@link socketToken}. One `socketAuth`
 * may serve several namespaces; it listens to the verifier once.
 *
 * Do not combine with socket.io's `connectionStateRecovery.skipMiddlewares`: recovered sockets
 * would skip this middleware and never be indexed.
 *
 * @example
 * ```ts
 * const auth = socketAuth(verifier, { logger });
 * io.use(auth);
 * io.on('connection', (socket) => {
 *   socket.on('move', (move, ack) => ack(play(socket.data.auth.claims.sub, move)));
 * });
 * // on shutdown
 * auth.close();
 * ```
 */
export function socketAuth(
  verifier: Pick<Verifier, 'verify' | 'check' | 'onRevoked'>,
  options: SocketAuthOptions = {},
): SocketAuth {
  if (
    verifier === null ||
    typeof verifier !== 'object' ||
    typeof verifier.verify !== 'function' ||
    typeof verifier.check !== 'function' ||
    typeof verifier.onRevoked !== 'function'
  ) {
    throw new TypeError('verifier must be a Verifier');
  }
  if (options.checkEvents !== undefined && typeof options.checkEvents !== 'boolean') {
    throw new TypeError('checkEvents must be a boolean');
  }
  const checkEvents = options.checkEvents ?? true;
  const logger = options.logger ?? silentLogger;
  const index = new SocketIndex<Connection>();
  const counts = { admitted: 0, revoked: 0, expired: 0, refreshed: 0 };
  const refusedByCode: Partial<Record<SocketAuthErrorCode, number>> = {};
  let closed = false;

  function forget(connection: Connection): void {
    if (!index.remove(connection)) return;
    clearTimeout(connection.timer);
    connection.timer = undefined;
    connection.release();
  }

  /** Emits `revoked` to every socket of a batch, then disconnects them. */
  function end(batch: readonly Connection[], payload: RevokedPayload): void {
    // Every event before the first disconnect, so a client with several namespaces on one
    // connection gets the event on each before the connection closes.
    for (const connection of batch) connection.socket.emit(REVOKED_EVENT, payload);
    // disconnect(true) closes the engine.io connection after its buffer drains, so the
    // `revoked` packet is delivered before the close.
    for (const connection of batch) connection.socket.disconnect(true);
  }

  /**
   * Ends connections. They leave the index at once, so from here on their events are dropped;
   * the sockets themselves are ended in batches of {@link CUT_BATCH} per event-loop turn, so a
   * global rule matching every socket does not stall the loop (and the consumer that
   * delivered the rule) while thousands of connections close.
   */
  function cut(targets: readonly Connection[], payload: RevokedPayload): void {
    for (const connection of targets) forget(connection);
    if (payload.code === 'TOKEN_REVOKED') counts.revoked += targets.length;
    else counts.expired += targets.length;
    let offset = 0;
    const step = (): void => {
      end(targets.slice(offset, offset + CUT_BATCH), payload);
      offset += CUT_BATCH;
      if (offset < targets.length) setImmediate(step);
    };
    step();
  }

  /**
   * One timer per socket, at its token's `exp`. Node keeps timers in per-duration lists under a
   * binary heap, so tens of thousands of them cost O(log n) to arm and nothing while they
   * wait; a shared timing wheel would save memory only at far larger counts. Timers are
   * unref'd: a pending expiry never keeps a process alive.
   */
  function armExpiry(connection: Connection): void {
    clearTimeout(connection.timer);
    const delay = connection.token.claims.exp * 1000 - Date.now();
    if (delay <= 0) {
      connection.timer = undefined;
      cut([connection], { code: 'TOKEN_EXPIRED' });
      return;
    }
    connection.timer = setTimeout(
      () => {
        connection.timer = undefined;
        if (connection.token.claims.exp * 1000 > Date.now()) armExpiry(connection);
        else if (index.has(connection)) cut([connection], { code: 'TOKEN_EXPIRED' });
      },
      Math.min(delay, MAX_TIMER_DELAY_MS),
    );
    connection.timer.unref();
  }

  function onRevoked(rule: RevocationRule): void {
    const matched = index.matching(rule);
    if (matched.length === 0) return;
    cut(matched, { code: 'TOKEN_REVOKED', kind: rule.kind, reason: rule.reason });
    logger.info(
      { sockets: matched.length, kind: rule.kind, reason: rule.reason, eventId: rule.eventId },
      'sockets disconnected by a revocation',
    );
  }
  const unsubscribe = verifier.onRevoked(onRevoked);

  async function refresh(
    connection: Connection,
    request: unknown,
    reply: (ack: RefreshAck) => void,
  ) {
    let verified: VerifiedToken;
    try {
      verified = await verifier.verify(readRefreshToken(request));
    } catch (error) {
      if (!(error instanceof VerifierError)) logger.error({ err: error }, 'socket refresh failed');
      reply({ ok: false, code: codeOf(error) });
      return;
    }
    // Cut while the new token was being verified: the client learns it from the disconnect.
    if (!index.has(connection)) return;
    if (verified.claims.sub !== connection.facts.sub) {
      reply({ ok: false, code: 'SUBJECT_MISMATCH' });
      return;
    }
    if (verified.claims.exp * 1000 <= Date.now()) {
      reply({ ok: false, code: 'TOKEN_EXPIRED' });
      return;
    }
    // Concurrent refreshes: the last to complete wins; each was verified on its own.
    index.remove(connection);
    connection.token = verified;
    connection.facts = factsOf(verified);
    connection.socket.data.auth = verified;
    index.add(connection);
    armExpiry(connection);
    counts.refreshed += 1;
    reply({ ok: true, exp: verified.claims.exp });
  }

  function gate(connection: Connection, packet: Event, next: (err?: Error) => void): void {
    // Packets already buffered when the socket was cut are dropped.
    if (!closed && !index.has(connection)) return;
    try {
      // Once closed, nothing watches revocations for this socket any more: refuse its events.
      if (closed) throw new NotReadyError({ message: 'socket authentication is closed' });
      verifier.check(connection.token);
    } catch (error) {
      const code = codeOf(error);
      if (error instanceof TokenRevokedError) {
        cut([connection], { code: 'TOKEN_REVOKED', kind: error.kind, reason: error.reason });
      } else if (error instanceof TokenExpiredError) {
        cut([connection], { code: 'TOKEN_EXPIRED' });
      } else {
        // The verifier cannot judge right now: refuse this event without failing the socket
        // (calling next(err) would raise an `error` event the application may not handle).
        const ack = packet[packet.length - 1] as unknown;
        if (typeof ack === 'function')
          (ack as (reply: RefusedEventAck) => void)({ ok: false, code });
      }
      return;
    }
    next();
  }

  function admit(socket: Socket, verified: VerifiedToken): void {
    const onDisconnect = (): void => forget(connection);
    const connection: Connection = {
      socket,
      token: verified,
      facts: factsOf(verified),
      timer: undefined,
      release: () => {
        socket.off('disconnect', onDisconnect);
        socket.conn.off('close', onDisconnect);
      },
    };
    socket.data.auth = verified;
    connections.set(socket, connection);
    index.add(connection);
    counts.admitted += 1;
    socket.on('disconnect', onDisconnect);
    // A connection that closes between this middleware and the namespace's connect never
    // emits `disconnect` on the socket; the transport's close still reaches us.
    socket.conn.on('close', onDisconnect);
    socket.on(REFRESH_EVENT, (request: unknown, ack: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (value: RefreshAck) => void) : () => {};
      void refresh(connection, request, reply);
    });
    if (checkEvents) socket.use((packet, next) => gate(connection, packet, next));
    armExpiry(connection);
  }

  function refuse(next: (err?: ExtendedError) => void, error: unknown): void {
    const code = codeOf(error);
    refusedByCode[code] = (refusedByCode[code] ?? 0) + 1;
    if (code === 'INTERNAL_ERROR') {
      logger.error({ err: error }, 'socket handshake failed');
      next(connectError(code, 'internal error'));
    } else {
      next(connectError(code, (error as Error).message));
    }
  }

  const middleware = (socket: Socket, next: (err?: ExtendedError) => void): void => {
    if (closed) {
      refuse(next, new NotReadyError({ message: 'socket authentication is closed' }));
      return;
    }
    let token: string;
    try {
      token = readHandshakeToken(socket.handshake);
    } catch (error) {
      refuse(next, error);
      return;
    }
    verifier.verify(token).then(
      (verified) => {
        // verify() accepts a token within the clock tolerance past `exp`; a socket, though,
        // never lives past its token, so such a handshake is refused rather than cut at once.
        if (verified.claims.exp * 1000 <= Date.now()) {
          refuse(next, new TokenExpiredError({ message: 'token has expired' }));
          return;
        }
        if (closed) {
          refuse(next, new NotReadyError({ message: 'socket authentication is closed' }));
          return;
        }
        // A client gone meanwhile is dropped by socket.io itself; it must not be indexed.
        if (socket.conn.readyState === 'open') admit(socket, verified);
        next();
      },
      (error: unknown) => refuse(next, error),
    );
  };

  return Object.assign(middleware, {
    stats(): SocketAuthStats {
      return { sockets: index.size, ...counts, refusedByCode: { ...refusedByCode } };
    },
    close(): void {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const connection of index.entries()) forget(connection);
    },
  });
}

function readRefreshToken(request: unknown): string {
  if (typeof request === 'string') return readToken(request);
  if (typeof request === 'object' && request !== null && 'token' in request) {
    const { token } = request as { token: unknown };
    if (typeof token === 'string') return readToken(token);
  }
  throw new TokenMalformedError({
    message: `${REFRESH_EVENT} expects { token } or a token string`,
    part: 'request',
  });
}
