/**
 * The issuer's access tokens: ES256 JWTs carrying the claims every verifier of the fabric reads
 * (`iss`, `aud`, `sub`, `sid`, `jti`, `iat`, `exp`, `roles`). A session rule names the `sid`,
 * so every token of one login is refused once that login ends.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { SigningKey } from './signing-key.js';

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export async function issueAccessToken(
  key: SigningKey,
  settings: TokenSettings,
  subject: { readonly sub: string; readonly sid: string; readonly roles: readonly string[] },
): Promise<string> {
  return new SignJWT({ sid: subject.sid, roles: [...subject.roles] })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(subject.sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .sign(key.privateKey);
}

/**
 * The `sub` and `sid` of one of our own tokens, checked against our own key. The issuer trusts
 * its database for session state, not the revocation topic: see `logout.ts`.
 */
export async function readOwnToken(
  key: SigningKey,
  settings: TokenSettings,
  token: string,
): Promise<{ sub: string; sid: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, key.publicKey, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['ES256'],
      typ: 'at+jwt',
    });
    const { sub, sid } = payload;
    return typeof sub === 'string' && typeof sid === 'string' ? { sub, sid } : undefined;
  } catch {
    return undefined;
  }
}
