/**
 * The one way to read the token of an admitted socket. Kept beside the socket rather than in
 * `socket.data`, which the application owns (and which socket.io's cluster adapters copy to
 * other processes, where the token would no longer be watched).
 */
import type { Socket } from 'socket.io';
import type { VerifiedToken } from '../claims.js';

/** What the adapter holds for an admitted socket: its current token, replaced by refreshes. */
export interface TokenHolder {
  readonly token: VerifiedToken;
}

const holders = new WeakMap<Socket, TokenHolder>();

/** Records the holder of an admitted socket's token, for {@link socketToken}. */
export function holdSocketToken(socket: Socket, holder: TokenHolder): void {
  holders.set(socket, holder);
}

/**
 * The verified access token of a socket admitted by `socketAuth`, kept current by in-band
 * refreshes: read it where you need it rather than keeping a copy.
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
  const holder = holders.get(socket);
  if (holder === undefined) {
    throw new TypeError('socketToken: this socket was not authenticated by socketAuth(verifier)');
  }
  return holder.token;
}
