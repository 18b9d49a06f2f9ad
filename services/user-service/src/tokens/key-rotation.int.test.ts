/**
 * Key rotation over time, with two-second tokens: a rotated-out key stays in the JWKS exactly
 * as long as a token it signed can live (the maximum lifetime plus the clock tolerance), and
 * leaves it at that instant. Time is a frozen fake Date moved by hand, not waited for: the
 * service, the verifier and jose all read Date.now, so every one of them sees the same instants.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DATABASE_KINDS,
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  startVerifier,
  uniqueUsername,
  useUserService,
  verdict,
} from '../test-support/harness.js';

describe.each(DATABASE_KINDS)('key rotation on %s', (kind) => {
  const suite = useUserService(kind, `us-keys-${kind}`, {
    ...ROOT_ADMIN_ENVIRONMENT,
    ACCESS_TOKEN_TTL_SECONDS: '2',
    MAX_TOKEN_LIFETIME_SECONDS: '2',
    CLOCK_TOLERANCE_MS: '500',
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the previous key published until its tokens have expired, then drops it', async () => {
    // The verifier replays the topic in real time; from here on the clock stands still unless
    // the test moves it.
    const verifier = await startVerifier(suite.service);
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      const rotatedAt = Date.now();
      const name = uniqueUsername('keys');
      await suite.api.register(name, PASSWORD);
      const before = await suite.api.login(name, PASSWORD);
      const oldKid = decodeProtectedHeader(before.accessToken).kid ?? '';
      const admin = await suite.api.login('root', PASSWORD);
      const jwksBefore = await suite.api.request<{ keys: Array<{ kid: string }> }>(
        'GET',
        '/.well-known/jwks.json',
      );
      const rotation = await suite.api.request<{ activeKid: string }>(
        'POST',
        '/admin/keys/rotate',
        {
          token: admin.accessToken,
        },
      );
      expect(rotation.status).toBe(200);
      expect(rotation.body.activeKid).not.toBe(oldKid);
      expect(Date.now()).toBe(rotatedAt);

      expect(await verdict(verifier, before.accessToken)).toBe('ok');
      const published = async () =>
        (
          await suite.api.request<{ keys: Array<{ kid: string }> }>('GET', '/.well-known/jwks.json')
        ).body.keys.map((k) => k.kid);
      // The key that signs now was published before the rotation, so every verifier's cached
      // JWKS already had it; the old one is still published.
      expect(jwksBefore.body.keys.map((k) => k.kid)).toContain(rotation.body.activeKid);
      expect(await published()).toEqual(expect.arrayContaining([rotation.body.activeKid, oldKid]));

      // A token the old key signed lives at most 2 s (+ 0.5 s tolerance) from its issue, which
      // was no later than the rotation: the key stays published until then, to the millisecond.
      const { exp = 0 } = decodeJwt(before.accessToken);
      const window = 2_000 + 500;
      expect(exp * 1000 + 500).toBeLessThanOrEqual(rotatedAt + window);
      vi.setSystemTime(exp * 1000 + 500 - 1);
      expect(await published()).toContain(oldKid);
      vi.setSystemTime(rotatedAt + window - 1);
      expect(await published()).toContain(oldKid);
      vi.setSystemTime(rotatedAt + window);
      expect(await published()).not.toContain(oldKid);
      expect(await published()).toContain(rotation.body.activeKid);

      expect(await verdict(verifier, before.accessToken)).not.toBe('ok');
      const after = await suite.api.login(name, PASSWORD);
      expect(await verdict(verifier, after.accessToken)).toBe('ok');
    } finally {
      vi.useRealTimers();
      await verifier.close();
    }
  });
});
