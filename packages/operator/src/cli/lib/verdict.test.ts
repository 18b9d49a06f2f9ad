import { createEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { describe, expect, it } from 'vitest';
import type { LoggedRevocation } from '../../revocation-log.js';
import { inspectVerdict, rejectingRules } from './verdict.js';

const ISS = 'https://auth.example';
const NOW = Date.UTC(2026, 11, 7, 8, 10, 0);
const ISSUED = NOW - 60_000;

function logged(
  event: RevocationEvent | undefined,
  offset: number,
  signed = false,
): LoggedRevocation {
  return {
    topic: 'auth.revocations',
    partition: 0,
    offset,
    timestamp: NOW,
    key: undefined,
    signed,
    ...(event === undefined
      ? { invalid: { code: 'EVENT_NOT_JSON', message: 'not JSON' } }
      : { event }),
  };
}

const facts = { iss: ISS, sub: 'u-42', sid: 's-123', jti: 'j-1', kid: 'k1', issuedAt: ISSUED };
const at = (ms: number) => ({ now: () => ms });

describe('rejectingRules', () => {
  const session = createEvent(
    {
      kind: 'session',
      sid: 's-123',
      reason: 'logout',
      actor: 'u-42',
      iss: ISS,
      issuedAt: NOW - 10_000,
      id: 'e-session',
    },
    at(NOW),
  );
  const otherSession = createEvent(
    { kind: 'session', sid: 's-999', reason: 'logout', actor: 'u-7', iss: ISS },
    at(NOW),
  );
  const otherIssuer = createEvent(
    { kind: 'session', sid: 's-123', reason: 'logout', actor: 'x', iss: 'https://other' },
    at(NOW),
  );
  const unsignedGlobal = createEvent(
    {
      kind: 'global',
      cutoff: NOW - 25_000,
      reason: 'emergency',
      actor: 'forger',
      iss: ISS,
      issuedAt: NOW - 20_000,
    },
    at(NOW),
  );

  it('lists every event whose rule rejects the token, earliest first, ignoring other targets and issuers', () => {
    const rules = rejectingRules(
      [
        logged(session, 3),
        logged(otherSession, 4),
        logged(otherIssuer, 5),
        logged(undefined, 6),
        logged(unsignedGlobal, 7),
      ],
      facts,
      5_000,
    );
    expect(rules.recordsRead).toBe(5);
    expect(rules.invalid).toBe(1);
    expect(rules.rejecting.map((record) => [record.event.id, record.counts])).toEqual([
      [unsignedGlobal.id, false],
      ['e-session', true],
    ]);
  });

  it('draws the verdict from the first rule a verifier applies: kind, target, reason, actor, event, position', () => {
    const rules = rejectingRules([logged(unsignedGlobal, 7), logged(session, 3)], facts, 5_000);
    const verdict = inspectVerdict({
      topic: 'auth.revocations',
      rules,
      signature: { status: 'valid', kid: 'k1', alg: 'ES256', jwksUrl: `${ISS}/jwks` },
      claimsProblem: undefined,
      expiresAt: NOW + 60_000,
      now: NOW,
    });
    expect(verdict).toEqual({
      refused: true,
      reason: 'revoked',
      text: 'REFUSED — session s-123 revoked (reason logout) by u-42 at 2026-12-07T08:09:50Z (event e-session, partition 0, offset 3)',
    });
  });

  it('ignores an unsigned brake, and says so, when nothing else rejects the token', () => {
    const rules = rejectingRules(
      [logged(unsignedGlobal, 7), logged(otherSession, 8)],
      facts,
      5_000,
    );
    const verdict = inspectVerdict({
      topic: 'auth.revocations',
      rules,
      signature: { status: 'not-checked', reason: '--skip-signature' },
      claimsProblem: undefined,
      expiresAt: NOW + 60_000,
      now: NOW,
    });
    expect(verdict).toEqual({
      refused: false,
      reason: undefined,
      text: 'not revoked by any rule in auth.revocations (2 records read); 1 unsigned brake ignored',
    });
  });

  it('counts a signed brake', () => {
    const rules = rejectingRules([logged(unsignedGlobal, 7, true)], facts, 5_000);
    expect(rules.rejecting[0]?.counts).toBe(true);
  });
});

describe('inspectVerdict without a revocation', () => {
  const none = { rejecting: [], recordsRead: 12_345, invalid: 0 };

  it('refuses a token whose signature is invalid, then one that expired', () => {
    expect(
      inspectVerdict({
        topic: 't',
        rules: none,
        signature: { status: 'invalid', reason: 'no key kid k9 in the JWKS', jwksUrl: 'u' },
        claimsProblem: undefined,
        expiresAt: NOW + 1,
        now: NOW,
      }).text,
    ).toBe(
      'REFUSED — signature invalid: no key kid k9 in the JWKS; not revoked by any rule in t (12,345 records read)',
    );
    expect(
      inspectVerdict({
        topic: 't',
        rules: none,
        signature: { status: 'valid', kid: 'k1', alg: 'ES256', jwksUrl: 'u' },
        claimsProblem: undefined,
        expiresAt: NOW - 180_000,
        now: NOW,
      }),
    ).toMatchObject({
      refused: true,
      reason: 'expired',
      text: expect.stringMatching(/^REFUSED — expired at .* \(3m ago\)/),
    });
  });

  it('accepts a live, validly signed token no rule rejects', () => {
    expect(
      inspectVerdict({
        topic: 't',
        rules: none,
        signature: { status: 'valid', kid: 'k1', alg: 'ES256', jwksUrl: 'u' },
        claimsProblem: undefined,
        expiresAt: NOW + 1,
        now: NOW,
      }),
    ).toEqual({
      refused: false,
      reason: undefined,
      text: 'not revoked by any rule in t (12,345 records read)',
    });
  });
});
