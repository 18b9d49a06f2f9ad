/**
 * OpenID Connect Back-Channel Logout 1.0 §2.6 "Logout Token Validation", every step:
 * signature against the provider's keys with its pinned algorithms, `iss`, `aud` containing our
 * client id, `iat` within the window, `exp` present (REQUIRED by §2.4 of the final spec) and
 * not passed, `jti` present, `events` naming the back-channel-logout event with an object
 * value, `sid` and/or `sub`, no `nonce`.
 * The `jti` replay check is the database's, in the transaction that commits the event.
 *
 * `typ`: `logout+jwt` (§2.4 recommends it) or none (the spec allows tokens without it); any
 * other value is refused, so an access token (`at+jwt`), an ID token (`JWT`) or a SET
 * (`secevent+jwt`) signed by the same provider can never be replayed here as a logout.
 */
import type { JWTVerifyGetKey } from 'jose';
import { refuse } from '../signals/refusal.js';
import { BACKCHANNEL_LOGOUT_EVENT } from '../signals/signal.js';
import type { BackchannelLogoutSignal } from '../signals/signal.js';
import { checkIssuedAt, checkJti, isJsonObject } from './claim-checks.js';
import { verifyJws } from './verify-jws.js';

/** What a logout token is checked against. */
export interface LogoutTokenExpectations {
  readonly keys: JWTVerifyGetKey;
  readonly algorithms: readonly string[];
  readonly issuer: string;
  /** Our client id at the provider: `aud` must contain it. */
  readonly clientId: string;
  /** ms since the epoch. */
  readonly now: number;
  /** Oldest accepted `iat`, ms ago. */
  readonly maxAgeMs: number;
  readonly clockToleranceMs: number;
}

const optionalString = (value: unknown, name: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw refuse('SUBJECT_MISSING', `${name} must be a non-empty string`);
  }
  return value;
};

/**
 * Verifies a logout token.
 *
 * @example
 * ```ts
 * const signal = await verifyLogoutToken(form.logout_token, {
 *   keys, algorithms: ['RS256'], issuer, clientId: 'gateway', now: Date.now(),
 *   maxAgeMs: 300_000, clockToleranceMs: 5000,
 * });
 * ```
 * @throws {@link SignalRefusedError} naming the failed rule.
 */
export async function verifyLogoutToken(
  token: string,
  expect: LogoutTokenExpectations,
): Promise<BackchannelLogoutSignal> {
  const { payload } = await verifyJws(token, {
    keys: expect.keys,
    algorithms: expect.algorithms,
    issuer: expect.issuer,
    audience: expect.clientId,
    types: ['logout+jwt', undefined],
    now: expect.now,
    clockToleranceMs: expect.clockToleranceMs,
    requiredClaims: ['exp'],
  });
  const issuedAt = checkIssuedAt(payload, expect);
  const jti = checkJti(payload);
  const { events } = payload as { events?: unknown };
  if (events === undefined) throw refuse('EVENTS_MISSING', 'the logout token has no events claim');
  if (!isJsonObject(events) || !isJsonObject(events[BACKCHANNEL_LOGOUT_EVENT])) {
    throw refuse(
      'EVENT_INVALID',
      `events must have a member ${BACKCHANNEL_LOGOUT_EVENT} whose value is a JSON object`,
    );
  }
  if ('nonce' in payload) throw refuse('NONCE_PRESENT', 'a logout token must not contain nonce');
  const sid = optionalString(payload['sid'], 'sid');
  const sub = optionalString(payload.sub, 'sub');
  if (sid === undefined && sub === undefined) {
    throw refuse('SUBJECT_MISSING', 'a logout token must contain sid, sub or both');
  }
  const exp = (payload.exp ?? 0) * 1000;
  const windowEnd = issuedAt + expect.maxAgeMs + 2 * expect.clockToleranceMs;
  return {
    type: 'backchannel-logout',
    jti,
    issuedAt,
    sid,
    sub,
    replayGuardUntil: Math.max(windowEnd, exp + expect.clockToleranceMs),
  };
}
