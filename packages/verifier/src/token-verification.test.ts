import { CompactSign, createLocalJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Blocklist } from './blocklist.js';
import { NotReadyError, VerifierError } from './errors.js';
import type { VerifierErrorCode } from './errors.js';
import { AUDIENCE, ISSUER, keySet, mint, revocation, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { MAX_TOKEN_LENGTH, TokenVerification } from './token-verification.js';

let key: SigningKey;
let otherKey: SigningKey;
let es384Key: SigningKey;

beforeAll(async () => {
  key = await signingKey('k1');
  otherKey = await signingKey('k1'); // same kid, different key material: a forgery
  es384Key = await signingKey('k384', 'ES384');
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { cacheSize?: number; serving?: () => void } = {}) {
  const blocklist = new Blocklist({ maxTokenLifetimeMs: 15 * 60_000 });
  const jwks = createLocalJWKSet(keySet(key, es384Key));
  let keyLookups = 0;
  const keys: JWTVerifyGetKey = (header, token) => {
    keyLookups += 1;
    return jwks(header, token);
  };
  const verification = new TokenVerification(
    {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      keys,
      clockToleranceMs: 5_000,
      maxTokenLifetimeMs: 15 * 60_000,
      cacheSize: options.cacheSize ?? 100,
      now: () => Date.now(),
      assertServing: options.serving ?? (() => {}),
    },
    blocklist,
  );
  return { blocklist, verification, keyLookups: () => keyLookups };
}

async function codeOf(promise: Promise<unknown>): Promise<VerifierErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof VerifierError) return error.code;
    throw error;
  }
}

const now = () => Math.floor(Date.now() / 1000);

describe('TokenVerification.verify', () => {
  it('accepts a valid token and returns its claims, kid and scopes', async () => {
    const { verification } = setup();
    const verified = await verification.verify(await mint(key, { claims: { sub: 'u-42' } }));
    expect(verified.claims.sub).toBe('u-42');
    expect(verified.claims.roles).toEqual(['player']);
    expect(verified.kid).toBe('k1');
    expect(verified.scopes).toEqual(['scores:read', 'profile']);
    expect(Object.isFrozen(verified.claims)).toBe(true);
  });

  it.each<[string, () => Promise<string>, VerifierErrorCode]>([
    ['an empty token', async () => '', 'TOKEN_MISSING'],
    ['a string that is not a JWS', async () => 'not-a-token', 'TOKEN_MALFORMED'],
    ['three segments of garbage', async () => 'a.b.c', 'TOKEN_MALFORMED'],
    ['an over-long token', async () => 'a'.repeat(MAX_TOKEN_LENGTH + 1), 'TOKEN_MALFORMED'],
    [
      'a token whose payload was altered',
      async () => {
        const [header, , signature] = (await mint(key)).split('.');
        const payload = Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
      'SIGNATURE_INVALID',
    ],
    [
      'a correctly signed JWS whose payload is not JSON',
      () =>
        new CompactSign(new TextEncoder().encode('not json'))
          .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
          .sign(key.privateKey),
      'TOKEN_MALFORMED',
    ],
    ['an expired token', () => mint(key, { now: now() - 600, lifetime: 300 }), 'TOKEN_EXPIRED'],
    [
      'a token not valid before a future nbf',
      () => mint(key, { claims: { nbf: now() + 120 } }),
      'TOKEN_NOT_YET_VALID',
    ],
    ['a token issued in the future', () => mint(key, { now: now() + 120 }), 'TOKEN_NOT_YET_VALID'],
    ['a token signed by another key with the same kid', () => mint(otherKey), 'SIGNATURE_INVALID'],
    [
      'a token naming an unknown kid',
      () => mint(key, { header: { kid: 'unknown' } }),
      'SIGNATURE_INVALID',
    ],
    ['a token signed with an algorithm not allowed', () => mint(es384Key), 'SIGNATURE_INVALID'],
    [
      'a token for another audience',
      () => mint(key, { claims: { aud: 'other' } }),
      'CLAIM_INVALID',
    ],
    [
      'a token from another issuer',
      () => mint(key, { claims: { iss: 'https://evil' } }),
      'CLAIM_INVALID',
    ],
    ['a token without sub', () => mint(key, { claims: { sub: undefined } }), 'CLAIM_INVALID'],
    ['a token without iat', () => mint(key, { claims: { iat: undefined } }), 'CLAIM_INVALID'],
    ['a token without exp', () => mint(key, { claims: { exp: undefined } }), 'CLAIM_INVALID'],
    [
      'a token living longer than the maximum lifetime',
      () => mint(key, { lifetime: 15 * 60 + 1 }),
      'CLAIM_INVALID',
    ],
    [
      'a token whose roles are not strings',
      () => mint(key, { claims: { roles: 'admin' } }),
      'CLAIM_INVALID',
    ],
    [
      'a token whose sgen is not an integer',
      () => mint(key, { claims: { sgen: 1.5 } }),
      'CLAIM_INVALID',
    ],
  ])('refuses %s with %s', async (_name, token, code) => {
    const { verification } = setup();
    expect(await codeOf(verification.verify(await token()))).toBe(code);
  });

  it('reports a malformed header or payload as TOKEN_MALFORMED', async () => {
    const { verification } = setup();
    const garbage = Buffer.from('{not json').toString('base64url');
    expect(await codeOf(verification.verify(`${garbage}.e30.c2ln`))).toBe('TOKEN_MALFORMED');
  });

  it.each([
    [
      'token',
      (jti: string) =>
        revocation({ kind: 'token', jti, expiresAt: Date.now() + 60_000, reason: 'logout' }),
    ],
    ['session', () => revocation({ kind: 'session', sid: 'session-1', reason: 'logout' })],
    [
      'subject',
      () => revocation({ kind: 'subject', sub: 'user-1', cutoff: Date.now(), reason: 'ban' }),
    ],
    ['key', () => revocation({ kind: 'key', kid: 'k1', reason: 'key-compromise' })],
    ['global', () => revocation({ kind: 'global', cutoff: Date.now(), reason: 'emergency' })],
  ] as const)('rejects a token matched by a %s rule with TOKEN_REVOKED', async (kind, rule) => {
    const { verification, blocklist } = setup();
    const token = await mint(key, { now: now() - 1 });
    const jti = (await verification.verify(token)).claims.jti ?? '';
    blocklist.apply(rule(jti));
    const error = await verification.verify(token).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REVOKED', kind });
  });

  it('never lets a cached token pass once it is revoked', async () => {
    const { verification, blocklist, keyLookups } = setup();
    const token = await mint(key);
    const { claims } = await verification.verify(token);
    await verification.verify(token);
    expect(keyLookups()).toBe(1); // the second call was a cache hit
    blocklist.apply(
      revocation({
        kind: 'token',
        jti: claims.jti ?? '',
        expiresAt: claims.exp * 1000,
        reason: 'logout',
      }),
    );
    expect(await codeOf(verification.verify(token))).toBe('TOKEN_REVOKED');
    expect(keyLookups()).toBe(1);
  });

  it('does not serve a cached verification past the token’s exp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verification, keyLookups } = setup();
    const token = await mint(key, { lifetime: 60 });
    await verification.verify(token);
    vi.setSystemTime(Date.now() + 59_000);
    await verification.verify(token);
    expect(keyLookups()).toBe(1);
    // Past exp the cache entry is gone: jose sees the token again and applies the tolerance…
    vi.setSystemTime(Date.now() + 2_000);
    expect(await codeOf(verification.verify(token))).toBe('ok');
    expect(keyLookups()).toBe(2);
    // …and past exp + tolerance the token is expired.
    vi.setSystemTime(Date.now() + 5_000);
    expect(await codeOf(verification.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('verifies every call when the cache is disabled', async () => {
    const { verification, keyLookups } = setup({ cacheSize: 0 });
    const token = await mint(key);
    await verification.verify(token);
    await verification.verify(token);
    expect(keyLookups()).toBe(2);
  });

  it('refuses to judge while the verifier is not serving', async () => {
    const { verification } = setup({
      serving: () => {
        throw new NotReadyError();
      },
    });
    expect(await codeOf(verification.verify(await mint(key)))).toBe('NOT_READY');
  });

  it('refuses a cache hit through the returned promise, never by throwing', async () => {
    let serving = true;
    const { verification, keyLookups } = setup({
      serving: () => {
        if (!serving) throw new NotReadyError();
      },
    });
    const token = await mint(key);
    await verification.verify(token);
    serving = false;
    const pending = verification.verify(token);
    expect(pending).toBeInstanceOf(Promise);
    expect(await codeOf(pending)).toBe('NOT_READY');
    expect(keyLookups()).toBe(1);
  });

  it('lets a cached token pass again once the rule that matched it is forgotten', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verification, blocklist, keyLookups } = setup();
    const token = await mint(key, { lifetime: 600 });
    const { claims } = await verification.verify(token);
    // A token rule that ends long before the token does: forgotten while the entry is cached.
    blocklist.apply(
      revocation({
        kind: 'token',
        jti: claims.jti ?? '',
        expiresAt: Date.now() + 1_000,
        reason: 'logout',
      }),
    );
    expect(await codeOf(verification.verify(token))).toBe('TOKEN_REVOKED');
    vi.setSystemTime(Date.now() + 120_000);
    expect(await codeOf(verification.verify(token))).toBe('ok');
    expect(keyLookups()).toBe(1);
  });
});

describe('TokenVerification.check', () => {
  it('re-judges a verified token against rules applied since', async () => {
    const { verification, blocklist } = setup();
    const verified = await verification.verify(await mint(key, { now: now() - 1 }));
    expect(() => verification.check(verified)).not.toThrow();
    blocklist.apply(
      revocation({ kind: 'subject', sub: 'user-1', cutoff: Date.now(), reason: 'role-change' }),
    );
    expect(() => verification.check(verified)).toThrow(
      expect.objectContaining({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'role-change' }),
    );
  });

  it('judges a look-alike of a verified token by its own claims', async () => {
    const { verification, blocklist } = setup();
    const verified = await verification.verify(await mint(key));
    blocklist.apply(
      revocation({
        kind: 'token',
        jti: 'other-jti',
        expiresAt: Date.now() + 60_000,
        reason: 'logout',
      }),
    );
    expect(() => verification.check(verified)).not.toThrow();
    // A copy with other claims must not be judged by the facts computed for the original.
    const copy = { ...verified, claims: { ...verified.claims, jti: 'other-jti' } };
    expect(() => verification.check(copy)).toThrow(
      expect.objectContaining({ code: 'TOKEN_REVOKED', kind: 'token' }),
    );
  });

  it('reports a held token as expired once exp + tolerance has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verification } = setup();
    const verified = await verification.verify(await mint(key, { lifetime: 60 }));
    vi.setSystemTime(Date.now() + 64_000);
    expect(() => verification.check(verified)).not.toThrow();
    vi.setSystemTime(Date.now() + 2_000);
    expect(() => verification.check(verified)).toThrow(
      expect.objectContaining({ code: 'TOKEN_EXPIRED' }),
    );
  });
});
