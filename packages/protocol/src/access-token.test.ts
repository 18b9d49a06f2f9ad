import { describe, expect, it } from 'vitest';
import {
  accessTokenClaimsSchema,
  issuedAccessTokenClaimsSchema,
  tokenFactsFromClaims,
} from './access-token.js';
import { rejects, ruleFromEvent } from './rules.js';
import { SCHEMA_VERSION } from './event.js';

const minimal = { sub: 'u1', iat: 1_700_000_000, exp: 1_700_000_300 };
const issued = {
  ...minimal,
  iss: 'https://auth.example',
  aud: 'game',
  sid: 's1',
  jti: 't1',
  auth_time: 1_700_000_000,
  roles: ['player'],
  sgen: 2,
  ggen: 0,
};

describe('accessTokenClaimsSchema (what verifiers accept)', () => {
  it('accepts a token of an issuer that stamps only sub, iat and exp, with roles []', () => {
    expect(accessTokenClaimsSchema.parse(minimal)).toEqual({ ...minimal, roles: [] });
  });

  it('keeps claims the contract does not name', () => {
    expect(accessTokenClaimsSchema.parse({ ...minimal, tenant: 'acme' })).toMatchObject({
      tenant: 'acme',
    });
  });

  it.each<[string, Record<string, unknown>]>([
    ['sub', { sub: '' }],
    ['iat', { iat: 'now' }],
    ['exp', { exp: undefined }],
    ['sid', { sid: 7 }],
    ['roles', { roles: 'admin' }],
    ['scope', { scope: ['a'] }],
    ['sgen', { sgen: 1.5 }],
    ['ggen', { ggen: -1 }],
  ])('refuses a token whose %s is malformed, naming it', (claim, override) => {
    const parsed = accessTokenClaimsSchema.safeParse({ ...minimal, ...override });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([claim]);
  });
});

describe('issuedAccessTokenClaimsSchema (what the user-service mints)', () => {
  it('accepts every claim revocation needs', () => {
    expect(issuedAccessTokenClaimsSchema.parse(issued)).toEqual(issued);
  });

  it.each(['sid', 'jti', 'sgen', 'ggen', 'auth_time', 'iss', 'aud'])('requires %s', (claim) => {
    const parsed = issuedAccessTokenClaimsSchema.safeParse({ ...issued, [claim]: undefined });
    expect(parsed.success).toBe(false);
  });

  it('is stricter than, never looser than, what verifiers accept', () => {
    const claims = issuedAccessTokenClaimsSchema.parse(issued);
    expect(accessTokenClaimsSchema.parse(claims)).toEqual(claims);
  });
});

describe('tokenFactsFromClaims', () => {
  it('maps claims to the facts rules judge, with the issue time in ms', () => {
    const facts = tokenFactsFromClaims(accessTokenClaimsSchema.parse(issued), 'k1');
    expect(facts).toEqual({
      iss: 'https://auth.example',
      jti: 't1',
      sid: 's1',
      sub: 'u1',
      kid: 'k1',
      issuedAt: 1_700_000_000_000,
      sgen: 2,
      ggen: 0,
    });
    const rule = ruleFromEvent({
      v: SCHEMA_VERSION,
      id: 'e1',
      kind: 'subject',
      sub: 'u1',
      cutoff: 1_700_000_000_001,
      reason: 'ban',
      actor: 'admin',
      iss: 'https://auth.example',
      issuedAt: 1_700_000_000_001,
    });
    // Judged by the cutoff (the rule carries no generation), to the millisecond.
    expect(rejects(rule, facts)).toBe(true);
    expect(rejects(rule, { ...facts, issuedAt: 1_700_000_000_001 })).toBe(false);
    // The same subject name at another issuer is someone else.
    expect(rejects(rule, { ...facts, iss: 'https://idp.example' })).toBe(false);
  });
});
