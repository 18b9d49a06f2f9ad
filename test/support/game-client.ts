/**
 * A player's side of the game-service in cross-service tests: a socket.io connection to `/game`,
 * the moment the server cuts it, a round trip that proves it is still served, and `GET /me`.
 * Deadlines use node's own timers, so they hold while a test has faked the global ones.
 */
import { clearTimeout, setTimeout } from 'node:timers';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';

/** How long a test waits for a cut or an answer, ms of real time. */
export const CUT_TIMEOUT_MS = 30_000;

/** What the server did when it ended a connection. */
export interface Cut {
  /** The `revoked` payload sent just before the disconnect (undefined if none came). */
  readonly revoked: unknown;
  /** socket.io's disconnect reason: `io server disconnect` when the server cut it. */
  readonly reason: string;
}

/**
 * Connects to `/game` of a game-service with a token; rejects with the refusal's code.
 * Sockets are pushed on `opened`, so the test can close them all afterwards.
 */
export function connectGame(baseUrl: string, token: string, opened: Socket[]): Promise<Socket> {
  const socket = io(`${baseUrl}/game`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) =>
      reject(new Error(error.data?.code ?? `no code: ${error.message}`)),
    );
  });
}

/**
 * The `revoked` payload and the disconnect reason, once the server cuts the socket (one
 * parameter, so `sockets.map(cutOf)` works).
 */
export function cutOf(socket: Socket): Promise<Cut> {
  const timeoutMs = CUT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let revoked: unknown;
    const timer = setTimeout(
      () => reject(new Error(`socket not cut within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('revoked', (payload: unknown) => {
      revoked = payload;
    });
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve({ revoked, reason });
    });
  });
}

/**
 * Emits an event and resolves with its acknowledgement; rejects if the socket disconnects
 * first, or after {@link CUT_TIMEOUT_MS}.
 */
export function ask<T>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  if (!socket.connected) return Promise.reject(new Error(`${event}: socket is not connected`));
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      socket.off('disconnect', onDisconnect);
    };
    const timer = setTimeout(() => {
      settle();
      reject(new Error(`${event}: no answer within ${CUT_TIMEOUT_MS} ms`));
    }, CUT_TIMEOUT_MS);
    const onDisconnect = (reason: string): void => {
      settle();
      reject(new Error(`${event}: disconnected (${reason}) before the answer`));
    };
    socket.once('disconnect', onDisconnect);
    socket.emit(event, ...args, (reply: T) => {
      settle();
      resolve(reply);
    });
  });
}

/** Served: connected, and a round trip (join a room) is answered. */
export async function served(socket: Socket): Promise<boolean> {
  try {
    return (await ask<{ ok: boolean }>(socket, 'room:join', { room: 'lobby' })).ok;
  } catch {
    return false;
  }
}

/** `GET /me` with a bearer token: its status and JSON body. */
export async function me(
  baseUrl: string,
  token: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}
