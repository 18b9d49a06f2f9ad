/**
 * The handshake: a connection is admitted only with a token the verifier accepts and whose
 * `exp` is still ahead by the adapter's clock; a refusal reaches the client as `connect_error`
 * with `err.data = { code }`.
 */
import type { ExtendedError, Socket } from 'socket.io';
import type { VerifiedToken } from '../claims.js';
import type { VerifierLogger } from '../logger.js';
import { readHandshakeToken } from './handshake-token.js';
import { closedError, codeOf, expiredError } from './socket-errors.js';
import type { SocketVerifier } from './socket-verifier.js';
import type { SocketAuthErrorCode, SocketAuthErrorData } from './wire-events.js';

/** socket.io's middleware signature. */
export type SocketMiddleware = (socket: Socket, next: (err?: ExtendedError) => void) => void;

/** What the handshake needs. */
export interface HandshakeContext {
  readonly verifier: Pick<SocketVerifier, 'verify'>;
  readonly now: () => number;
  readonly logger: VerifierLogger;
  readonly closed: () => boolean;
  /** Takes over a socket whose handshake succeeded. */
  readonly admit: (socket: Socket, token: VerifiedToken) => void;
}

/** The handshake middleware, and its refusals counted by code. */
export interface Handshake {
  readonly middleware: SocketMiddleware;
  readonly refusedByCode: Readonly<Partial<Record<SocketAuthErrorCode, number>>>;
}

function connectError(code: SocketAuthErrorCode, message: string): ExtendedError {
  const data: SocketAuthErrorData = { code };
  return Object.assign(new Error(message), { data });
}

export function handshake({ verifier, now, logger, closed, admit }: HandshakeContext): Handshake {
  const refusedByCode: Partial<Record<SocketAuthErrorCode, number>> = {};

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

  const middleware: SocketMiddleware = (socket, next) => {
    if (closed()) {
      refuse(next, closedError());
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
        if (verified.claims.exp * 1000 <= now()) {
          refuse(next, expiredError());
          return;
        }
        if (closed()) {
          refuse(next, closedError());
          return;
        }
        // A client gone meanwhile is dropped by socket.io itself; it must not be indexed.
        if (socket.conn.readyState === 'open') admit(socket, verified);
        next();
      },
      (error: unknown) => refuse(next, error),
    );
  };

  return { middleware, refusedByCode };
}
