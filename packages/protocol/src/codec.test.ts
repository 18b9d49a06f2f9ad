import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEvent, decodeEvent, encodeEvent, validateEvent } from './codec.js';
import {
  CutoffInFutureError,
  EventInvalidError,
  EventNotJsonError,
  EventTooLargeError,
  EventVersionError,
  ProtocolError,
} from './errors.js';
import type { RevocationEvent } from './event.js';

const now = Date.now();
const session: RevocationEvent = {
  v: 1,
  id: '3f1c1a52-3c1b-4b7e-9d39-2f7f8f0b6a11',
  kind: 'session',
  sid: 's-1',
  reason: 'logout',
  actor: 'u-1',
  iss: 'https://issuer.test',
  issuedAt: now,
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProtocolError) return error.code;
    throw error;
  }
  return undefined;
}

describe('encodeEvent / decodeEvent', () => {
  it('round-trips every kind with the key kind:issuer:target', () => {
    const events: RevocationEvent[] = [
      { ...session, kind: 'token', jti: 'j-1', expiresAt: now + 60_000 } as RevocationEvent,
      session,
      { ...session, kind: 'subject', sub: 'u-1', cutoff: now, generation: 7 } as RevocationEvent,
      { ...session, kind: 'key', kid: 'k-1' } as RevocationEvent,
      { ...session, kind: 'global', cutoff: now } as RevocationEvent,
    ].map((e) => {
      // Drop the session's sid from the other kinds built by spreading it.
      const { sid: _sid, ...rest } = e as RevocationEvent & { sid?: string };
      return (e.kind === 'session' ? e : rest) as RevocationEvent;
    });
    const keys = events.map((e) => encodeEvent(e).key);
    const iss = encodeURIComponent('https://issuer.test');
    expect(keys).toEqual([
      `token:${iss}:j-1`,
      `session:${iss}:s-1`,
      `subject:${iss}:u-1`,
      `key:${iss}:k-1`,
      `global:${iss}:*`,
    ]);
    for (const event of events) {
      const { value } = encodeEvent(event);
      expect(decodeEvent(Buffer.from(value))).toEqual(event);
      expect(decodeEvent(value)).toEqual(event);
    }
  });

  it('refuses payloads over the size limit before parsing them', () => {
    const big = Buffer.alloc(5000, 0x20);
    expect(codeOf(() => decodeEvent(big))).toBe('EVENT_TOO_LARGE');
    expect(() => decodeEvent(JSON.stringify(session), { maxBytes: 10 })).toThrow(
      EventTooLargeError,
    );
  });

  it('refuses bytes that are not UTF-8 JSON', () => {
    expect(() => decodeEvent('not json')).toThrow(EventNotJsonError);
    expect(() => decodeEvent(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toThrow(EventNotJsonError);
    expect(codeOf(() => decodeEvent(''))).toBe('EVENT_NOT_JSON');
  });

  it('refuses unknown and missing versions with EVENT_VERSION_UNSUPPORTED', () => {
    expect(() => decodeEvent(JSON.stringify({ ...session, v: 2 }))).toThrow(EventVersionError);
    const { v: _v, ...noVersion } = session;
    expect(codeOf(() => decodeEvent(JSON.stringify(noVersion)))).toBe('EVENT_VERSION_UNSUPPORTED');
    expect(codeOf(() => decodeEvent('null'))).toBe('EVENT_VERSION_UNSUPPORTED');
    expect(codeOf(() => decodeEvent('[1]'))).toBe('EVENT_VERSION_UNSUPPORTED');
  });

  it('names every offending field of an invalid event', () => {
    const bad = { ...session, sid: '', reason: 'because', extra: true };
    let caught: unknown;
    try {
      decodeEvent(JSON.stringify(bad));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EventInvalidError);
    const issues = (caught as EventInvalidError).issues.join('\n');
    expect(issues).toMatch(/sid/);
    expect(issues).toMatch(/reason/);
    expect(issues).toMatch(/extra/);
  });

  it('refuses wrong types, unknown kinds and impossible times', () => {
    for (const bad of [
      { ...session, issuedAt: 'yesterday' },
      { ...session, issuedAt: 1.5 },
      { ...session, issuedAt: -1 },
      { ...session, kind: 'device' },
      { ...session, kind: 'token', jti: 'j' },
      { ...session, kind: 'subject', sub: 'u', cutoff: now, generation: -1 },
    ]) {
      expect(codeOf(() => decodeEvent(JSON.stringify(bad)))).toBe('EVENT_INVALID');
    }
  });
});

describe('future cutoffs', () => {
  const { sid: _sid, ...envelope } = session;
  const subject = { ...envelope, kind: 'subject', sub: 'u-1' };

  it('refuses a cutoff beyond its own issue time plus the tolerance', () => {
    const event = { ...subject, cutoff: now + 5_001 };
    expect(() => validateEvent(event)).toThrow(CutoffInFutureError);
    expect(validateEvent({ ...subject, cutoff: now + 5_000 })).toMatchObject({
      cutoff: now + 5_000,
    });
    expect(
      validateEvent({ ...subject, cutoff: now + 60_000 }, { clockToleranceMs: 60_000 }),
    ).toBeTruthy();
  });

  it('refuses an event claiming to come from the future relative to the record timestamp', () => {
    const event = { ...subject, issuedAt: now + 3_600_000, cutoff: now + 3_600_000 };
    expect(codeOf(() => validateEvent(event, { now }))).toBe('CUTOFF_IN_FUTURE');
  });

  it('createEvent refuses a future cutoff for a global rule', () => {
    expect(() =>
      createEvent({
        kind: 'global',
        cutoff: Date.now() + 3_600_000,
        reason: 'emergency',
        actor: 'ops',
        iss: 'x',
      }),
    ).toThrow(CutoffInFutureError);
  });
});

describe('createEvent', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fills in version, a fresh id and the issue time', () => {
    // The default clock is the current time, read at each call: a fake Date pins it exactly.
    vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_123 });
    const a = createEvent({
      kind: 'key',
      kid: 'k',
      reason: 'key-compromise',
      actor: 'ops',
      iss: 'x',
    });
    const b = createEvent({
      kind: 'key',
      kid: 'k',
      reason: 'key-compromise',
      actor: 'ops',
      iss: 'x',
    });
    expect(a.v).toBe(1);
    expect(a.id).not.toBe(b.id);
    expect(a.issuedAt).toBe(1_700_000_000_123);
    vi.setSystemTime(1_700_000_000_456);
    expect(
      createEvent({ kind: 'key', kid: 'k', reason: 'key-compromise', actor: 'ops', iss: 'x' })
        .issuedAt,
    ).toBe(1_700_000_000_456);
  });
});

describe('createEvent with an injected clock', () => {
  it('stamps the issue time from `now` and judges cutoffs against it', () => {
    const clock = () => 1_700_000_000_000;
    const event = createEvent(
      { kind: 'session', sid: 's', reason: 'logout', actor: 'u', iss: 'x' },
      { now: clock },
    );
    expect(event.issuedAt).toBe(1_700_000_000_000);
    // A cutoff one hour past the injected clock is in its future, whatever the real time is.
    expect(() =>
      createEvent(
        { kind: 'global', cutoff: clock() + 3_600_000, reason: 'emergency', actor: 'o', iss: 'x' },
        { now: clock },
      ),
    ).toThrow(CutoffInFutureError);
    // The same cutoff is fine for a clock an hour later: the reference is the clock, not Date.now.
    expect(
      createEvent(
        { kind: 'global', cutoff: clock() + 3_600_000, reason: 'emergency', actor: 'o', iss: 'x' },
        { now: () => clock() + 3_600_000 },
      ).issuedAt,
    ).toBe(clock() + 3_600_000);
  });
});
