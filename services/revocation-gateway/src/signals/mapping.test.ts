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
  const sessionOfUser = (id: string) => ({
    format: 'complex',
    user,
    session: { format: 'opaque', id },
  });
  const rules: Array<[string, Parameters<typeof mapSignal>[0], Record<string, unknown>]> = [
    [
      'back-channel logout with sid → session rule, reason logout',
      logout('s1', 'user-1'),
      { kind: 'session', sid: 's1', reason: 'logout' },
    ],
    [
      'back-channel logout with sub only → subject cutoff at the token’s iat, reason logout-all',
      logout(undefined, 'user-1'),
      { kind: 'subject', sub: 'user-1', cutoff: ISSUED_AT + 1000, reason: 'logout-all' },
    ],
    [
      'CAEP session-revoked naming a session → session rule, reason logout',
      set(EVENT_TYPES.sessionRevoked, sessionOfUser('s1')),
      { kind: 'session', sid: 's1', reason: 'logout' },
    ],
    [
      'CAEP session-revoked naming only a user → subject cutoff at event_timestamp, reason logout-all',
      set(EVENT_TYPES.sessionRevoked, user),
      { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'logout-all' },
    ],
    [
      'CAEP session-revoked with Keycloak’s session id ALL → subject cutoff, not a session rule',
      set(EVENT_TYPES.sessionRevoked, sessionOfUser('ALL')),
      { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'logout-all' },
    ],
    [
      'CAEP credential-change → subject cutoff, reason password-change (the SET’s iat without event_timestamp)',
      { ...set(EVENT_TYPES.credentialChange, user), eventTimestamp: undefined },
      { kind: 'subject', sub: 'user-1', cutoff: ISSUED_AT + 1000, reason: 'password-change' },
    ],
  ];
  it.each(rules)('%s', (_behaviour, signal, draft) => {
    expect(mapSignal(signal, ctx)).toEqual({ outcome: 'rule', draft });
  });

  it.each([
    [
      'CAEP token-claims-change → subject cutoff, reason role-change',
      EVENT_TYPES.tokenClaimsChange,
      { kind: 'subject', sub: 'user-1', cutoff: EVENT_AT + 1000, reason: 'role-change' },
    ],
    [
      'RISC account-disabled → subject cutoff, reason ban',
      EVENT_TYPES.accountDisabled,
      { kind: 'subject', sub: 'user-1', reason: 'ban' },
    ],
    [
      'RISC account-purged → subject cutoff, reason ban',
      EVENT_TYPES.accountPurged,
      { kind: 'subject', sub: 'user-1', reason: 'ban' },
    ],
    [
      'RISC credential-compromise → subject cutoff, reason password-change',
      EVENT_TYPES.credentialCompromise,
      { kind: 'subject', sub: 'user-1', reason: 'password-change' },
    ],
  ])('%s', (_behaviour, eventType, draft) => {
    expect(mapSignal(set(eventType, user), ctx)).toMatchObject({ draft });
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
