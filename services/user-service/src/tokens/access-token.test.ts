import {
  accessTokenClaimsSchema as verifierContract,
  tokenFactsFromClaims,
} from '@revocation-fabric/protocol';
import { generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE, accessTokenClaimsSchema, signAccessToken } from './access-token.js';

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
      { issuer: 'https://issuer.test', audience: 'aud', ttlSeconds: 600 },
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
      { issuer: 'https://issuer.test', audience: 'aud', ttlSeconds: 600 },
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
          authTime: 0,
          roles: [],
          subjectGeneration: -1,
          globalGeneration: 0,
        },
        { issuer: 'https://issuer.test', audience: 'aud', ttlSeconds: 600 },
        1_700_000_000_000,
      ),
    ).rejects.toThrow(/sgen/);
  });
});
