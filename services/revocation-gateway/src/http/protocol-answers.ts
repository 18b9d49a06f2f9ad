/**
 * How the two signal endpoints answer, each in its own protocol's words: Back-Channel Logout
 * §2.8 (`{ error, error_description }`, `Cache-Control: no-store`) and RFC 8935 §2.3/2.4
 * (`{ err, description }`). Identity providers parse these, not the fabric's error body.
 */
import type { Response } from 'express';
import type { SignalRefusedError } from '../signals/refusal.js';

/**
 * Answers a refused logout token.
 *
 * @example
 * ```ts
 * answerLogoutRefusal(res, refuse('NONCE_PRESENT', 'a logout token must not contain nonce'));
 * ```
 */
export function answerLogoutRefusal(res: Response, error: SignalRefusedError): void {
  res.status(error.answer.status);
  res.setHeader('Cache-Control', 'no-store');
  if (error.answer.retry) res.setHeader('Retry-After', '5');
  res.json({ error: 'invalid_request', error_description: error.message });
}

/**
 * Answers a refused pushed SET.
 *
 * @example
 * ```ts
 * answerPushRefusal(res, refuse('AUDIENCE_MISMATCH', 'aud does not name this receiver'));
 * ```
 */
export function answerPushRefusal(res: Response, error: SignalRefusedError): void {
  res.status(error.answer.status);
  // RFC 6750 §3: a 401 names the scheme the receiver expects (the header it issued is a bearer).
  if (error.answer.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  if (error.answer.retry) res.setHeader('Retry-After', '5');
  res.json({ err: error.answer.setErr, description: error.message });
}
