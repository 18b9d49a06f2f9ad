/**
 * Token verification as production runs it: through the verifier's `verify` (cache hit or
 * jose) and `check`, fed by a hand-driven feed. A cache hit is observable: it hands back the
 * very VerifiedToken object of the verification it reuses, where jose builds a new one.
 */
import { CompactSign } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { VerifierErrorCode } from './errors.js';
import { ManualFeed, mint, revocation, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { closeAfterEach, codeOf, trustingVerifier } from './lib/verifier.fixture.js';
import { MAX_TOKEN_LENGTH } from './token-verification.js';

let key: SigningKey;
let otherKey: SigningKey;
let es384Key: SigningKey;

beforeAll(async () => {
  key = await signingKey('k1');
  otherKey = await signingKey('k1'); // same kid, different key material: a forgery
  es384Key = await signingKey('k384', 'ES384');
});

const open = closeAfterEach();

afterEach(() => {
  vi.useRealTimers();
});

function setup(options: { cacheSize?: number; ready?: boolean } = {}) {
  const feed = new ManualFeed();
  const verifier = open(
    trustingVerifier([key, es384Key], feed, {
      clockToleranceMs: 5_000,
      maxTokenLifetimeMs: 15 * 60_000,
      maxStalenessMs: 30_000,
      cacheSize: options.cacheSize ?? 100,
    }),
  );
  if (options.ready ?? true) feed.markReady();
  return { feed, verifier };
}

const now = () => Math.floor(Date.now() / 1000);

describe('Verifier.verify', () => {
  it('accepts a valid token and returns its claims, kid and scopes', async () => {
    const { verifier } = setup();
    const verified = await verifier.verify(await mint(key, { claims: { sub: 'u-42' } }));
    expect(verified.claims.sub).toBe('u-42');
    expect(verified.claims.roles).toEqual(['player']);
    expect(verified.kid).toBe('k1');
    expect(verified.scopes).toEqual(['scores:read', 'profile']);
    expect(Object.isFrozen(verified.claims)).toBe(true);
  });

  it.each<[string, () => Promise<string>, VerifierErrorCode]>([
    ['an empty token', () => Promise.resolve(''), 'TOKEN_MISSING'],
    ['a string that is not a JWS', () => Promise.resolve('not-a-token'), 'TOKEN_MALFORMED'],
    ['three segments of garbage', () => Promise.resolve('a.b.c'), 'TOKEN_MALFORMED'],
    [
      'an over-long token',
      () => Promise.resolve('a'.repeat(MAX_TOKEN_LENGTH + 1)),
      'TOKEN_MALFORMED',
    ],
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
    const { verifier } = setup();
    expect(await codeOf(verifier.verify(await token()))).toBe(code);
  });

  it('names the claim at fault when the access-token contract refuses one', async () => {
    const { verifier } = setup();
    const error = await verifier
      .verify(await mint(key, { claims: { ggen: -1 } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLAIM_INVALID', claim: 'ggen' });
  });

  it('reports a malformed header or payload as TOKEN_MALFORMED', async () => {
    const { verifier } = setup();
    const garbage = Buffer.from('{not json').toString('base64url');
    expect(await codeOf(verifier.verify(`${garbage}.e30.c2ln`))).toBe('TOKEN_MALFORMED');
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
    const { verifier, feed } = setup();
    const token = await mint(key, { now: now() - 1 });
    const jti = (await verifier.verify(token)).claims.jti ?? '';
    // Brakes count only signed by the issuer's key; their signature is checked asynchronously.
    const event = rule(jti);
    if (kind === 'key' || kind === 'global') await feed.deliverSigned(event, key);
    else feed.deliver(event);
    await vi.waitFor(async () => {
      const error = await verifier.verify(token).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TOKEN_REVOKED', kind });
    });
  });

  it('never lets a cached token pass once it is revoked', async () => {
    const { verifier, feed } = setup();
    const token = await mint(key);
    const first = await verifier.verify(token);
    // The second call was a cache hit: the very same verification comes back.
    expect(await verifier.verify(token)).toBe(first);
    feed.deliver(
      revocation({
        kind: 'token',
        jti: first.claims.jti ?? '',
        expiresAt: first.claims.exp * 1000,
        reason: 'logout',
      }),
    );
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('does not serve a cached verification past the token’s exp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier, feed } = setup();
    const token = await mint(key, { lifetime: 60 });
    const first = await verifier.verify(token);
    vi.setSystemTime(Date.now() + 59_000);
    feed.contactAt = Date.now();
    expect(await verifier.verify(token)).toBe(first);
    // Past exp the cache entry is gone: jose sees the token again and applies the tolerance…
    vi.setSystemTime(Date.now() + 2_000);
    const again = await verifier.verify(token);
    expect(again).not.toBe(first);
    expect(again.claims.jti).toBe(first.claims.jti);
    // …and past exp + tolerance the token is expired.
    vi.setSystemTime(Date.now() + 5_000);
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('verifies every call when the cache is disabled', async () => {
    const { verifier } = setup({ cacheSize: 0 });
    const token = await mint(key);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(second).not.toBe(first);
    expect(second.claims).toEqual(first.claims);
  });

  it('refuses to judge while the verifier is not serving', async () => {
    const { verifier, feed } = setup({ ready: false });
    const token = await mint(key);
    expect(await codeOf(verifier.verify(token))).toBe('NOT_READY');
    feed.markReady();
    expect(await codeOf(verifier.verify(token))).toBe('ok');
  });

  it('refuses a cache hit through the returned promise, never by throwing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier, feed } = setup();
    const token = await mint(key, { lifetime: 600 });
    const first = await verifier.verify(token);
    // No broker contact for longer than maxStalenessMs: the verifier stops serving.
    vi.setSystemTime(Date.now() + 30_001);
    const pending = verifier.verify(token);
    expect(pending).toBeInstanceOf(Promise);
    expect(await codeOf(pending)).toBe('STALE');
    // Contact again: the entry was kept, and is served without a new verification.
    feed.contactAt = Date.now();
    expect(await verifier.verify(token)).toBe(first);
  });

  it('lets a cached token pass again once the rule that matched it is forgotten', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier, feed } = setup();
    const token = await mint(key, { lifetime: 600 });
    const first = await verifier.verify(token);
    // A token rule that ends long before the token does: forgotten while the entry is cached.
    feed.deliver(
      revocation({
        kind: 'token',
        jti: first.claims.jti ?? '',
        expiresAt: Date.now() + 1_000,
        reason: 'logout',
      }),
    );
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
    vi.setSystemTime(Date.now() + 120_000);
    feed.contactAt = Date.now();
    expect(await verifier.verify(token)).toBe(first);
  });
});

describe('Verifier.check', () => {
  it('re-judges a verified token against rules applied since', async () => {
    const { verifier, feed } = setup();
    const verified = await verifier.verify(await mint(key, { now: now() - 1 }));
    expect(() => verifier.check(verified)).not.toThrow();
    feed.deliver(
      revocation({ kind: 'subject', sub: 'user-1', cutoff: Date.now(), reason: 'role-change' }),
    );
    expect(() => verifier.check(verified)).toThrow(
      expect.objectContaining({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'role-change' }),
    );
  });

  it('judges a look-alike of a verified token by its own claims', async () => {
    const { verifier, feed } = setup();
    const verified = await verifier.verify(await mint(key));
    feed.deliver(
      revocation({
        kind: 'token',
        jti: 'other-jti',
        expiresAt: Date.now() + 60_000,
        reason: 'logout',
      }),
    );
    expect(() => verifier.check(verified)).not.toThrow();
    // A copy with other claims must not be judged by the facts computed for the original.
    const copy = { ...verified, claims: { ...verified.claims, jti: 'other-jti' } };
    expect(() => verifier.check(copy)).toThrow(
      expect.objectContaining({ code: 'TOKEN_REVOKED', kind: 'token' }),
    );
  });

  it('reports a held token as expired once exp + tolerance has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { verifier, feed } = setup();
    const verified = await verifier.verify(await mint(key, { lifetime: 60 }));
    vi.setSystemTime(Date.now() + 64_000);
    feed.contactAt = Date.now();
    expect(() => verifier.check(verified)).not.toThrow();
    vi.setSystemTime(Date.now() + 2_000);
    expect(() => verifier.check(verified)).toThrow(
      expect.objectContaining({ code: 'TOKEN_EXPIRED' }),
    );
  });
});
