/** One test per row of the mapping table (docs/signal-mapping.md). */
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, cutoffAfter, mapSignal, signalCutoff } from './mapping.js';
import type { SecurityEventSignal } from './signal.js';

const ISSUER = 'https://idp.test/realms/r';
const NOW = 1_800_000_000_000;
/** Whole seconds, as JWT times are. */
const EVENT_AT = NOW - 1000;
const ISSUED_AT = NOW - 2000;
const ctx = { issuer: ISSUER, maxTokenLifetimeMs: 900_000, now: NOW, clockToleranceMs: 5000 };
const user = { format: 'iss_sub', iss: ISSUER, sub: 'user-1' };

const set = (
  eventType: string,
  subject: unknown,
  eventTimestamp: number | undefined = EVENT_AT,
): SecurityEventSignal => ({
  type: 'security-event',
  jti: 'j',
  issuedAt: ISSUED_AT,
  eventType,
  event: {},
  subject,
  eventTimestamp,
  eventTimestampInMs: false,
  replayGuardUntil: NOW,
});
const logout = (sid: string | undefined, sub: string | undefined) => ({
  type: 'backchannel-logout' as const,
  jti: 'j',
  issuedAt: ISSUED_AT,
  sid,
  sub,
  replayGuardUntil: NOW,
});

/** A signal of `type` about `subject` maps to no rule. */
function expectUnmappable(type: string, subject: unknown): void {
  expect(mapSignal(set(type, subject), ctx), JSON.stringify(subject)).toMatchObject({
    outcome: 'unmappable',
  });
}

describe('cutoffAfter', () => {
  it('moves a whole-second time to the end of its second and keeps a time with a fraction', () => {
    expect(cutoffAfter(EVENT_AT)).toBe(EVENT_AT + 1000);
    expect(cutoffAfter(EVENT_AT + 250)).toBe(EVENT_AT + 250);
  });
});

describe('signalCutoff', () => {
  it('never rounds a time accepted as now past now + tolerance, so the protocol accepts it', () => {
    expect(signalCutoff(NOW, { now: NOW, clockToleranceMs: 0 })).toBe(NOW);
    expect(signalCutoff(NOW + 4000, { now: NOW, clockToleranceMs: 5000 })).toBe(NOW + 5000);
    expect(signalCutoff(EVENT_AT, { now: NOW, clockToleranceMs: 0 })).toBe(EVENT_AT + 1000);
  });

  it('keeps a time beyond the tolerance, so a future event_timestamp is still refused', () => {
    expect(signalCutoff(NOW + 60_000, { now: NOW, clockToleranceMs: 5000 })).toBe(NOW + 60_000);
  });

  it('maps a SET issued this very second with no tolerance to a cutoff of now', () => {
    const signal = { ...set(EVENT_TYPES.credentialChange, user, NOW), issuedAt: NOW };
    expect(mapSignal(signal, { ...ctx, clockToleranceMs: 0 })).toMatchObject({
      outcome: 'rule',
      draft: { kind: 'subject', cutoff: NOW },
    });
  });
});

describe('the signal mapping', () => {
  it('back-channel logout with sid → session rule, reason logout', () => {
    expect(mapSignal(logout('s1', 'user-1'), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'session', sid: 's1', reason: 'logout' },
    });
  });

  it('back-channel logout with sub only → subject cutoff at the token’s iat, reason logout-all', () => {
    expect(mapSignal(logout(undefined, 'user-1'), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'subject', sub: 'user-1', cutoff: ISSUED_AT + 1000, reason: 'logout-all' },
    });
  });

  it('CAEP session-revoked naming a session → session rule, reason logout', () => {
    const subject = { format: 'complex', user, session: { format: 'opaque', id: 's1' } };
    expect(mapSignal(set(EVENT_TYPES.sessionRevoked, subject), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'session', sid: 's1', reason: 'logout' },
    });
  });

  it('CAEP session-revoked naming only a user → subject cutoff at event_timestamp, reason logout-all', () => {
    expect(mapSignal(set(EVENT_TYPES.sessionRevoked, user), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'logout-all' },
    });
  });

  it('CAEP session-revoked with Keycloak’s session id ALL → subject cutoff, not a session rule', () => {
    const subject = { format: 'complex', user, session: { format: 'opaque', id: 'ALL' } };
    expect(mapSignal(set(EVENT_TYPES.sessionRevoked, subject), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'logout-all' },
    });
  });

  it('CAEP credential-change → subject cutoff, reason password-change (the SET’s iat without event_timestamp)', () => {
    expect(
      mapSignal({ ...set(EVENT_TYPES.credentialChange, user), eventTimestamp: undefined }, ctx),
    ).toEqual({
      outcome: 'rule',
      draft: {
        kind: 'subject',
        sub: 'user-1',
        cutoff: ISSUED_AT + 1000,
        reason: 'password-change',
      },
    });
  });

  it('CAEP token-claims-change → subject cutoff, reason role-change', () => {
    expect(mapSignal(set(EVENT_TYPES.tokenClaimsChange, user), ctx)).toMatchObject({
      draft: { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'role-change' },
    });
  });

  it('RISC account-disabled → subject cutoff, reason ban', () => {
    expect(mapSignal(set(EVENT_TYPES.accountDisabled, user), ctx)).toMatchObject({
      draft: { kind: 'subject', sub: 'user-1', reason: 'ban' },
    });
  });

  it('RISC account-purged → subject cutoff, reason ban', () => {
    expect(mapSignal(set(EVENT_TYPES.accountPurged, user), ctx)).toMatchObject({
      draft: { kind: 'subject', sub: 'user-1', reason: 'ban' },
    });
  });

  it('RISC credential-compromise → subject cutoff, reason password-change', () => {
    expect(mapSignal(set(EVENT_TYPES.credentialCompromise, user), ctx)).toMatchObject({
      draft: { kind: 'subject', sub: 'user-1', reason: 'password-change' },
    });
  });

  it('a jwt_id subject → token rule expiring after the provider’s max token lifetime', () => {
    const subject = { format: 'jwt_id', iss: ISSUER, jti: 'tok-1' };
    expect(mapSignal(set(EVENT_TYPES.credentialChange, subject), ctx)).toEqual({
      outcome: 'rule',
      draft: { kind: 'token', jti: 'tok-1', expiresAt: NOW + 900_000, reason: 'password-change' },
    });
    expect(mapSignal(set(EVENT_TYPES.sessionRevoked, subject), ctx)).toMatchObject({
      draft: { reason: 'logout' },
    });
  });

  it('SSF verification and stream-updated → accepted without a rule', () => {
    expect(
      mapSignal(set(EVENT_TYPES.verification, { format: 'opaque', id: 'stream' }), ctx),
    ).toEqual({
      outcome: 'no-rule',
      label: 'verification',
    });
    expect(mapSignal(set(EVENT_TYPES.streamUpdated, undefined), ctx)).toEqual({
      outcome: 'no-rule',
      label: 'stream-updated',
    });
  });

  it('an event type named like an Object.prototype member → accepted without a rule', () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(mapSignal(set(type, user), ctx)).toEqual({
        outcome: 'no-rule',
        label: 'unsupported-event',
      });
    }
  });

  it('an event type outside the table → accepted without a rule', () => {
    expect(
      mapSignal(
        set('https://schemas.openid.net/secevent/caep/event-type/device-compliance-change', user),
        ctx,
      ),
    ).toEqual({
      outcome: 'no-rule',
      label: 'unsupported-event',
    });
  });

  it('email, phone_number, an opaque user and an iss_sub of another issuer are unmappable, never guessed', () => {
    for (const subject of [
      { format: 'email', email: 'a@b.test' },
      { format: 'phone_number', phone_number: '+15551234567' },
      { format: 'opaque', id: 'user-1' },
      { format: 'iss_sub', iss: 'https://other.test', sub: 'user-1' },
      { format: 'jwt_id', iss: 'https://other.test', jti: 'tok-1' },
      { format: 'complex', user: { format: 'email', email: 'a@b.test' } },
      undefined,
    ]) {
      expectUnmappable(EVENT_TYPES.credentialChange, subject);
    }
  });

  it('a complex subject whose user is of another issuer is unmappable, even with an opaque session', () => {
    for (const subject of [
      {
        format: 'complex',
        user: { format: 'iss_sub', iss: 'https://other.test', sub: 'user-1' },
        session: { format: 'opaque', id: 's1' },
      },
      {
        format: 'complex',
        user: { format: 'email', email: 'a@b.test' },
        session: { format: 'opaque', id: 's1' },
      },
      { format: 'complex', user: 'user-1', session: { format: 'opaque', id: 's1' } },
    ]) {
      expectUnmappable(EVENT_TYPES.sessionRevoked, subject);
    }
  });

  it('an aliases subject maps through the alias that names this issuer’s user', () => {
    const subject = {
      format: 'aliases',
      identifiers: [{ format: 'email', email: 'a@b.test' }, user],
    };
    expect(mapSignal(set(EVENT_TYPES.accountDisabled, subject), ctx)).toMatchObject({
      draft: { sub: 'user-1' },
    });
  });
});
