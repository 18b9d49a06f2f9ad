import { describe, expect, it } from 'vitest';
import { createRemoteJWKSet } from 'jose';
import type { RefusalCode } from '../signals/refusal.js';
import {
  BCL_EVENT,
  logoutClaims,
  refusalOf,
  sign,
  useVerificationKeys,
} from '../test-support/signals.js';
import type { TestKey } from '../test-support/signals.js';
import { verifyLogoutToken } from './verify-logout-token.js';

const ISSUER = 'https://idp.test/realms/r';
const CLIENT = 'gateway';
const NOW = 1_800_000_000_000;

const served = useVerificationKeys(['ES256']);
/** The published ES256 key: an algorithm the provider is not pinned to. */
function es(): TestKey {
  const [key] = served.others;
  if (key === undefined) throw new Error('no ES256 key was served');
  return key;
}

const expectations = (now = NOW) => ({
  keys: served.keys,
  algorithms: ['RS256'],
  issuer: ISSUER,
  clientId: CLIENT,
  now,
  maxAgeMs: 300_000,
  clockToleranceMs: 5000,
});

const refusal = (token: string, now = NOW): Promise<RefusalCode> =>
  refusalOf(verifyLogoutToken(token, expectations(now)), 'the token');

const valid = (
  overrides: Record<string, unknown> = {},
  header: { typ?: string } = { typ: 'logout+jwt' },
) => sign(served.key, logoutClaims(ISSUER, CLIENT, NOW, overrides), header);

describe('verifyLogoutToken', () => {
  it('accepts a valid logout token and returns its sid, sub, iat and jti', async () => {
    const signal = await verifyLogoutToken(await valid({ jti: 'j-1' }), expectations());
    expect(signal).toMatchObject({
      type: 'backchannel-logout',
      jti: 'j-1',
      sid: 'session-1',
      sub: 'user-1',
      issuedAt: Math.floor(NOW / 1000) * 1000,
    });
    expect(signal.replayGuardUntil).toBeGreaterThan(NOW + 300_000);
  });

  it('accepts a token without typ, as the spec allows', async () => {
    await expect(verifyLogoutToken(await valid({}, {}), expectations())).resolves.toMatchObject({
      sid: 'session-1',
    });
  });

  it('refuses a typ other than logout+jwt (an access token, a SET)', async () => {
    expect(await refusal(await valid({}, { typ: 'at+jwt' }))).toBe('TYPE_NOT_ALLOWED');
    expect(await refusal(await valid({}, { typ: 'secevent+jwt' }))).toBe('TYPE_NOT_ALLOWED');
  });

  it('refuses a forged signature (a key the provider does not publish, same kid)', async () => {
    const forged = await sign(served.stranger, logoutClaims(ISSUER, CLIENT, NOW), {
      kid: served.key.kid,
      typ: 'logout+jwt',
    });
    expect(await refusal(forged)).toBe('SIGNATURE_INVALID');
  });

  it('refuses a key id the provider does not publish', async () => {
    expect(await refusal(await sign(served.stranger, logoutClaims(ISSUER, CLIENT, NOW)))).toBe(
      'KEY_NOT_FOUND',
    );
  });

  it('refuses an algorithm that is not pinned, even with a published key', async () => {
    expect(await refusal(await sign(es(), logoutClaims(ISSUER, CLIENT, NOW)))).toBe(
      'ALGORITHM_NOT_ALLOWED',
    );
  });

  it('refuses an unsigned token (alg none)', async () => {
    const [, payload] = (await valid()).split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(await refusal(none)).toBe('ALGORITHM_NOT_ALLOWED');
  });

  it('refuses another issuer', async () => {
    expect(await refusal(await valid({ iss: 'https://evil.test' }))).toBe('ISSUER_MISMATCH');
  });

  it('refuses an audience without our client id', async () => {
    expect(await refusal(await valid({ aud: 'other-client' }))).toBe('AUDIENCE_MISMATCH');
    await expect(
      verifyLogoutToken(await valid({ aud: ['other', CLIENT] }), expectations()),
    ).resolves.toBeDefined();
  });

  it('refuses an iat beyond the future skew and one older than the window', async () => {
    const exp = Math.floor(NOW / 1000) + 300;
    expect(await refusal(await valid({ iat: Math.floor(NOW / 1000) + 60, exp }))).toBe(
      'ISSUED_AT_OUT_OF_WINDOW',
    );
    expect(await refusal(await valid({ iat: Math.floor(NOW / 1000) - 600, exp }))).toBe(
      'ISSUED_AT_OUT_OF_WINDOW',
    );
    expect(await refusal(await valid({ iat: undefined }))).toBe('ISSUED_AT_MISSING');
  });

  it('refuses a token without exp (REQUIRED by Back-Channel Logout 1.0 §2.4)', async () => {
    expect(await refusal(await valid({ exp: undefined }))).toBe('EXPIRATION_MISSING');
    expect(await refusal(await valid({ exp: 'soon' }))).toBe('EXPIRATION_MISSING');
  });

  it('refuses an expired token', async () => {
    expect(await refusal(await valid({ exp: Math.floor(NOW / 1000) - 60 }))).toBe('EXPIRED');
  });

  it('refuses a token without jti', async () => {
    expect(await refusal(await valid({ jti: undefined }))).toBe('JTI_MISSING');
    expect(await refusal(await valid({ jti: '' }))).toBe('JTI_MISSING');
  });

  it('refuses a token without events', async () => {
    expect(await refusal(await valid({ events: undefined }))).toBe('EVENTS_MISSING');
  });

  it('refuses events without the back-channel-logout member or with a non-object value', async () => {
    expect(await refusal(await valid({ events: { 'urn:other': {} } }))).toBe('EVENT_INVALID');
    expect(await refusal(await valid({ events: { [BCL_EVENT]: 'yes' } }))).toBe('EVENT_INVALID');
    expect(await refusal(await valid({ events: { [BCL_EVENT]: [] } }))).toBe('EVENT_INVALID');
  });

  it('refuses a token with a nonce', async () => {
    expect(await refusal(await valid({ nonce: 'n' }))).toBe('NONCE_PRESENT');
  });

  it('refuses a token with neither sid nor sub', async () => {
    expect(await refusal(await valid({ sid: undefined, sub: undefined }))).toBe('SUBJECT_MISSING');
  });

  it('refuses a malformed JWT', async () => {
    expect(await refusal('not-a-jwt')).toBe('MALFORMED_TOKEN');
    expect(await refusal('a.b.c')).toBe('MALFORMED_TOKEN');
  });

  it('asks the sender to retry when the provider’s keys are out of reach', async () => {
    const gone = createRemoteJWKSet(new URL('http://127.0.0.1:1/jwks'));
    await expect(
      verifyLogoutToken(await valid(), { ...expectations(), keys: gone }),
    ).rejects.toMatchObject({
      code: 'KEY_SOURCE_UNAVAILABLE',
    });
  });
});
