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
});
