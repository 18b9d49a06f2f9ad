import { readBearerToken } from '../lib/bearer.js';
import { malformedRequestError, missingError } from './socket-errors.js';
import { REFRESH_EVENT } from './wire-events.js';

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
 * @throws `TokenMissingError` when neither is present, `TokenMalformedError` when
 *   `auth.token` is not a string or the header is not a bearer credential.
 */
export function readHandshakeToken(handshake: HandshakeCredentials): string {
  const fromAuth = handshake.auth?.['token'];
  if (fromAuth !== undefined && fromAuth !== null) {
    if (typeof fromAuth !== 'string') throw malformedRequestError('auth.token must be a string');
    return readToken(fromAuth);
  }
  return readBearerToken(handshake.headers['authorization']);
}

/**
 * The token of an `auth:refresh` request: `{ token }` or the bare token string.
 *
 * @throws `TokenMissingError` or `TokenMalformedError`, as `readToken`, and
 *   the latter also for any other shape of request.
 */
export function readRefreshToken(request: unknown): string {
  if (typeof request === 'string') return readToken(request);
  if (typeof request === 'object' && request !== null && 'token' in request) {
    const { token } = request;
    if (typeof token === 'string') return readToken(token);
  }
  throw malformedRequestError(`${REFRESH_EVENT} expects { token } or a token string`);
}

/**
 * A token sent as a string by a client: bare, or with the `Bearer ` prefix.
 *
 * @throws `TokenMissingError` for an empty string, `TokenMalformedError` when it is
 *   not a single bearer credential.
 */
export function readToken(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw missingError();
  return readBearerToken(/^bearer /i.test(trimmed) ? trimmed : `Bearer ${trimmed}`);
}
