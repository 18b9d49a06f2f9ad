/**
 * The codes the adapter reports, and the one place it builds verifier errors of its own (for
 * refusals the verifier did not raise: a closed adapter, a token the adapter's clock says has
 * expired, a malformed credential in a handshake or a refresh).
 */
import {
  NotReadyError,
  TokenExpiredError,
  TokenMalformedError,
  TokenMissingError,
  VerifierError,
} from '../errors.js';
import type { SocketAuthErrorCode } from './wire-events.js';

/** The code a client is told: the verifier's, or `INTERNAL_ERROR` for anything unexpected. */
export function codeOf(error: unknown): SocketAuthErrorCode {
  return error instanceof VerifierError ? error.code : 'INTERNAL_ERROR';
}

/** Refusal of a handshake or an event once the adapter is closed. */
export function closedError(): NotReadyError {
  return new NotReadyError({ reason: 'CLOSED', message: 'socket authentication is closed' });
}

/** A token whose `exp` has passed by the adapter's clock. */
export function expiredError(): TokenExpiredError {
  return new TokenExpiredError();
}

/** No token in a handshake or a refresh. */
export function missingError(): TokenMissingError {
  return new TokenMissingError();
}

/** Credentials sent in the wrong shape (RFC 6750 `invalid_request`). */
export function malformedRequestError(message: string): TokenMalformedError {
  return new TokenMalformedError({ message, part: 'request' });
}
