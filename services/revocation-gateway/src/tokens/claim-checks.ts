/** Claim checks both signal kinds share: the `iat` window and a present `jti`. */
import { refuse } from '../signals/refusal.js';
import type { JWTPayload } from 'jose';

/** The accepted `iat` window. */
export interface IssuedAtWindow {
  /** ms since the epoch. */
  readonly now: number;
  /** Oldest accepted age, ms. */
  readonly maxAgeMs: number;
  /** Future skew accepted, ms. */
  readonly clockToleranceMs: number;
}

/**
 * Checks `iat` lies within `[now - maxAge - tolerance, now + tolerance]`.
 *
 * @example
 * ```ts
 * const issuedAtMs = checkIssuedAt(payload, { now, maxAgeMs: 300_000, clockToleranceMs: 5000 });
 * ```
 * @returns `iat` in ms.
 * @throws {@link SignalRefusedError} `ISSUED_AT_MISSING` or `ISSUED_AT_OUT_OF_WINDOW`.
 */
export function checkIssuedAt(payload: JWTPayload, window: IssuedAtWindow): number {
  const { iat } = payload;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) {
    throw refuse('ISSUED_AT_MISSING', 'the token has no numeric iat');
  }
  const issuedAtMs = Math.round(iat * 1000);
  if (issuedAtMs > window.now + window.clockToleranceMs) {
    throw refuse('ISSUED_AT_OUT_OF_WINDOW', 'iat is in the future');
  }
  if (issuedAtMs < window.now - window.maxAgeMs - window.clockToleranceMs) {
    throw refuse('ISSUED_AT_OUT_OF_WINDOW', 'iat is too old');
  }
  return issuedAtMs;
}

/**
 * Checks `jti` is a non-empty string (≤ 256 characters).
 *
 * @example
 * ```ts
 * const jti = checkJti(payload);
 * ```
 * @throws {@link SignalRefusedError} `JTI_MISSING`.
 */
export function checkJti(payload: JWTPayload): string {
  const { jti } = payload;
  if (typeof jti !== 'string' || jti === '' || jti.length > 256) {
    throw refuse('JTI_MISSING', 'the token has no jti');
  }
  return jti;
}

/** Whether a value is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
