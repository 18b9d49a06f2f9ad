/**
 * What the socket.io adapter says to clients, and what clients may say to it: event names and
 * payload shapes. Types only and two constants, so client code can import them without
 * loading the server side.
 */
import type { RevocationReason, RuleKind } from '@revocation-fabric/protocol';
import type { VerifierErrorCode } from '../errors.js';

/**
 * The event a socket receives just before the server disconnects it because its token stopped
 * being valid: revoked (`TOKEN_REVOKED`, with the rule's kind and reason) or expired without a
 * refresh (`TOKEN_EXPIRED`).
 */
export const REVOKED_EVENT = 'revoked';

/**
 * The event a client emits to replace the socket's access token on the live connection:
 * `socket.emit('auth:refresh', { token }, (ack) => …)`. Answered through the acknowledgement
 * with a {@link RefreshAck}.
 */
export const REFRESH_EVENT = 'auth:refresh';

/**
 * Codes the adapter uses: the verifier's, plus `SUBJECT_MISMATCH` (a refresh presented another
 * subject's token) and `INTERNAL_ERROR` (an unexpected failure, logged on the server).
 */
export type SocketAuthErrorCode = VerifierErrorCode | 'SUBJECT_MISMATCH' | 'INTERNAL_ERROR';

/**
 * `err.data` of the `connect_error` a refused handshake produces on the client.
 *
 * @example
 * ```ts
 * socket.on('connect_error', (err) => {
 *   const { code } = (err as Error & { data?: SocketAuthErrorData }).data ?? {};
 *   if (code === 'TOKEN_EXPIRED') refreshAndRetry();
 * });
 * ```
 */
export interface SocketAuthErrorData {
  readonly code: SocketAuthErrorCode;
}

/** Payload of {@link REVOKED_EVENT}. */
export type RevokedPayload =
  | {
      readonly code: 'TOKEN_REVOKED';
      /** The kind of the rule that matched the socket's token. */
      readonly kind: RuleKind;
      /** Why the rule was issued (`logout`, `ban`, …). */
      readonly reason: RevocationReason;
    }
  | { readonly code: 'TOKEN_EXPIRED' };

/** What a client sends with {@link REFRESH_EVENT}: `{ token }` or the bare token string. */
export type RefreshRequest = { readonly token: string } | string;

/**
 * The acknowledgement of {@link REFRESH_EVENT}: the new token's `exp` (seconds since the epoch)
 * when it was accepted; otherwise the refusal's code, and the socket keeps its current token.
 */
export type RefreshAck =
  | { readonly ok: true; readonly exp: number }
  | { readonly ok: false; readonly code: SocketAuthErrorCode };

/**
 * The acknowledgement the adapter gives, in place of the application, to an event it refused
 * because the verifier cannot judge right now (`NOT_READY`, `STALE`), or because the event
 * demands a more recent login than the token's (`INSUFFICIENT_USER_AUTHENTICATION`, see
 * `recentAuthByEvent`): only when the client asked for one.
 *
 * @example
 * ```ts
 * socket.emit('wallet:withdraw', amount, (reply: RefusedEventAck | Receipt) => {
 *   if ('ok' in reply && reply.code === 'INSUFFICIENT_USER_AUTHENTICATION') stepUp();
 * });
 * ```
 */
export interface RefusedEventAck {
  readonly ok: false;
  readonly code: SocketAuthErrorCode;
}
