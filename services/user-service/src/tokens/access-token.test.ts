import {
  accessTokenClaimsSchema as verifierContract,
  tokenFactsFromClaims,
} from '@revocation-fabric/protocol';
import { generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, accessTokenClaimsSchema, signAccessToken } from './access-token.js';

const policy = {
  issuer: 'https://issuer.test',
  audience: 'aud',
  ttlSeconds: 600,
  maxSessionLifetimeSeconds: 30 * 86_400,
};

describe('signAccessToken', () => {
  it('signs an ES256 at+jwt with kid and every claim revocation needs', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const now = 1_700_000_000_123;
    const { token } = await signAccessToken(
      { kid: 'k1', privateKey },
      {
        userId: 'u1',
        sessionId: 's1',
        authTime: now - 5000,
        roles: ['user'],
        subjectGeneration: 3,
        globalGeneration: 1,
      },
      policy,
      now,
    );
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, {
      issuer: 'https://issuer.test',
      audience: 'aud',
      currentDate: new Date(now),
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'k1', typ: ACCESS_TOKEN_TYPE });
    const claims = accessTokenClaimsSchema.parse(payload);
    expect(claims).toMatchObject({
      sub: 'u1',
      sid: 's1',
      iat: 1_700_000_000,
      exp: 1_700_000_600,
      auth_time: 1_699_999_995,
      roles: ['user'],
      sgen: 3,
      ggen: 1,
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('mints claims the verifiers’ contract accepts, with every revocation fact', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const now = 1_700_000_000_123;
    const { token, claims } = await signAccessToken(
      { kid: 'k7', privateKey },
      {
        userId: 'u1',
        sessionId: 's1',
        authTime: now,
        roles: [],
        subjectGeneration: 4,
        globalGeneration: 2,
      },
      policy,
      now,
    );
    const { payload } = await jwtVerify(token, publicKey, { currentDate: new Date(now) });
    expect(tokenFactsFromClaims(verifierContract.parse(payload), 'k7')).toEqual({
      iss: 'https://issuer.test',
      jti: claims.jti,
      sid: 's1',
      sub: 'u1',
      kid: 'k7',
      issuedAt: 1_700_000_000_000,
      sgen: 4,
      ggen: 2,
    });
  });

  it('refuses to mint a token that breaks the contract', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    await expect(
      signAccessToken(
        { kid: 'k1', privateKey },
        {
          userId: 'u1',
          sessionId: 's1',
          authTime: 1_700_000_000_000,
          roles: [],
          subjectGeneration: -1,
          globalGeneration: 0,
        },
        policy,
        1_700_000_000_000,
      ),
    ).rejects.toThrow(/sgen/);
  });

  describe('within the absolute session lifetime', () => {
    const grant = {
      userId: 'u1',
      sessionId: 's1',
      roles: [],
      subjectGeneration: 0,
      globalGeneration: 0,
    };
    const hour = { ...policy, maxSessionLifetimeSeconds: 3600 };
    const authTime = 1_700_000_000_456;

    it('expires a token TTL after its issue while the session has longer to run', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const now = authTime + 1_000_000;
      const { claims } = await signAccessToken(
        { kid: 'k1', privateKey },
        { ...grant, authTime },
        hour,
        now,
      );
      expect(claims.exp - claims.iat).toBe(600);
    });

    it('expires a token at its session’s end (auth_time + maximum lifetime) when that comes sooner', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const now = authTime + 3_300_000;
      const { token, claims } = await signAccessToken(
        { kid: 'k1', privateKey },
        { ...grant, authTime },
        hour,
        now,
      );
      expect(claims).toMatchObject({ auth_time: 1_700_000_000, exp: 1_700_003_600 });
      expect(claims.exp - claims.iat).toBe(300);
      // What a verifier sees: valid a second before the session's end, expired at it.
      await expect(
        jwtVerify(token, publicKey, { currentDate: new Date(1_700_003_599_000) }),
      ).resolves.toBeDefined();
      await expect(
        jwtVerify(token, publicKey, { currentDate: new Date(1_700_003_600_000) }),
      ).rejects.toThrow(/exp/);
    });

    it('refuses to mint a token for a session that has ended', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      await expect(
        signAccessToken({ kid: 'k1', privateKey }, { ...grant, authTime }, hour, 1_700_003_600_000),
      ).rejects.toThrow(RangeError);
    });
  });
});
