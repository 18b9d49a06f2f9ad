import { TokenMalformedError, TokenMissingError } from '../errors.js';
import { readBearerToken } from '../lib/bearer.js';

/** The parts of socket.io's handshake the token is read from. */
export interface HandshakeCredentials {
  /** `auth` of the client's `io(url, { auth })`. */
  readonly auth: Record<string, unknown> | undefined;
  /** Request headers of the handshake. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The access token of a handshake: `auth.token` when the client sent one (browsers cannot set
 * headers on a WebSocket), else the `Authorization: Bearer` header (Node clients, proxies).
 * `auth.token` may carry the `Bearer ` prefix, as clients often copy the header value.
 *
 * @throws {@link TokenMissingError} when neither is present, {@link TokenMalformedError} when
 *   `auth.token` is not a string or the header is not a bearer credential.
 */
export function readHandshakeToken(handshake: HandshakeCredentials): string {
  const fromAuth = handshake.auth?.['token'];
  if (fromAuth !== undefined && fromAuth !== null) {
    if (typeof fromAuth !== 'string') {
      throw new TokenMalformedError({ message: 'auth.token must be a string', part: 'request' });
    }
    return readToken(fromAuth);
  }
  return readBearerToken(handshake.headers['authorization']);
}

/**
 * A token sent as a string by a client: bare, or with the `Bearer ` prefix.
 *
 * @throws {@link TokenMissingError} for an empty string, {@link TokenMalformedError} when it is
 *   not a single bearer credential.
 */
export function readToken(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new TokenMissingError();
  return readBearerToken(/^bearer /i.test(trimmed) ? trimmed : `Bearer ${trimmed}`);
}
