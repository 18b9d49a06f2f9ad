import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../signals/mapping.js';
import type { RefusalCode } from '../signals/refusal.js';
import { refusalOf, setClaims, sign, useVerificationKeys } from '../test-support/signals.js';
import { verifySet } from './verify-set.js';

const ISSUER = 'https://idp.test/realms/r';
const AUDIENCE = 'gateway/stream-1';
const NOW = 1_800_000_000_000;
const user = { format: 'iss_sub', iss: ISSUER, sub: 'user-1' };

const served = useVerificationKeys();

const expect_ = () => ({
  keys: served.keys,
  algorithms: ['RS256'],
  issuer: ISSUER,
  audience: AUDIENCE,
  now: NOW,
  maxAgeMs: 86_400_000,
  clockToleranceMs: 5000,
});

const valid = (overrides: Record<string, unknown> = {}, typ = 'secevent+jwt') =>
  sign(
    served.key,
    setClaims(
      ISSUER,
      AUDIENCE,
      NOW,
      { type: EVENT_TYPES.credentialChange, subject: user },
      overrides,
    ),
    { typ },
  );

const refusal = (token: string): Promise<RefusalCode> =>
  refusalOf(verifySet(token, expect_()), 'the SET');

describe('verifySet', () => {
  it('accepts a valid SET and returns its one event, sub_id and event_timestamp in ms', async () => {
    const signal = await verifySet(await valid({ jti: 'set-1' }), expect_());
    expect(signal).toMatchObject({
      type: 'security-event',
      jti: 'set-1',
      eventType: EVENT_TYPES.credentialChange,
      subject: user,
      eventTimestamp: Math.floor(NOW / 1000) * 1000,
    });
  });

  it('reads an event_timestamp only plausible in milliseconds as milliseconds, and says so', async () => {
    const token = await sign(
      served.key,
      setClaims(ISSUER, AUDIENCE, NOW, {
        type: EVENT_TYPES.credentialChange,
        subject: user,
        body: { event_timestamp: NOW - 1_500 },
      }),
      { typ: 'secevent+jwt' },
    );
    expect(await verifySet(token, expect_())).toMatchObject({
      eventTimestamp: NOW - 1_500,
      eventTimestampInMs: true,
    });
    // Seconds, as the standard says: not flagged.
    expect(await verifySet(await valid(), expect_())).toMatchObject({ eventTimestampInMs: false });
  });

  it('takes the event’s subject when there is no sub_id (CAEP before SSF 1.0)', async () => {
    const token = await sign(
      served.key,
      setClaims(ISSUER, AUDIENCE, NOW, {
        type: EVENT_TYPES.credentialChange,
        body: { subject: user },
        subject: undefined,
      }),
      { typ: 'secevent+jwt' },
    );
    expect((await verifySet(token, expect_())).subject).toEqual(user);
  });

  it('refuses a SET without typ secevent+jwt', async () => {
    expect(await refusal(await valid({}, 'logout+jwt'))).toBe('TYPE_NOT_ALLOWED');
    expect(
      await refusal(
        await sign(
          served.key,
          setClaims(ISSUER, AUDIENCE, NOW, { type: EVENT_TYPES.credentialChange, subject: user }),
        ),
      ),
    ).toBe('TYPE_NOT_ALLOWED');
  });

  it('refuses a forged signature', async () => {
    const forged = await sign(
      served.stranger,
      setClaims(ISSUER, AUDIENCE, NOW, { type: EVENT_TYPES.credentialChange, subject: user }),
      {
        typ: 'secevent+jwt',
        kid: served.key.kid,
      },
    );
    expect(await refusal(forged)).toBe('SIGNATURE_INVALID');
  });

  it('refuses another issuer and another audience', async () => {
    expect(await refusal(await valid({ iss: 'https://evil.test' }))).toBe('ISSUER_MISMATCH');
    expect(await refusal(await valid({ aud: 'gateway/other-stream' }))).toBe('AUDIENCE_MISMATCH');
  });

  it('refuses an iat out of the window and a missing jti', async () => {
    expect(await refusal(await valid({ iat: Math.floor(NOW / 1000) + 3600 }))).toBe(
      'ISSUED_AT_OUT_OF_WINDOW',
    );
    expect(await refusal(await valid({ iat: Math.floor(NOW / 1000) - 2 * 86_400 }))).toBe(
      'ISSUED_AT_OUT_OF_WINDOW',
    );
    expect(await refusal(await valid({ jti: undefined }))).toBe('JTI_MISSING');
  });

  it('refuses a SET without events, with two events or with a non-object event', async () => {
    expect(await refusal(await valid({ events: undefined }))).toBe('EVENTS_MISSING');
    expect(await refusal(await valid({ events: {} }))).toBe('EVENT_INVALID');
    expect(
      await refusal(
        await valid({
          events: { [EVENT_TYPES.credentialChange]: {}, [EVENT_TYPES.sessionRevoked]: {} },
        }),
      ),
    ).toBe('EVENT_INVALID');
    expect(await refusal(await valid({ events: { [EVENT_TYPES.credentialChange]: 1 } }))).toBe(
      'EVENT_INVALID',
    );
    expect(
      await refusal(
        await valid({ events: { [EVENT_TYPES.credentialChange]: { event_timestamp: 'now' } } }),
      ),
    ).toBe('EVENT_INVALID');
  });

  it('accepts an audience from a list (the stream’s aud array)', async () => {
    await expect(
      verifySet(await valid(), { ...expect_(), audience: ['x', AUDIENCE] }),
    ).resolves.toBeDefined();
  });
});
