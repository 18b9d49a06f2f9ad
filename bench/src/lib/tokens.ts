/**
 * Signing keys and access tokens shaped like the user-service's (ES256, `typ: at+jwt`, the same
 * claims), for the benchmarks that do not go through the user-service.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK, JWTVerifyOptions } from 'jose';

/** Issuer of the benchmark's own tokens and rules. */
export const BENCH_ISSUER = 'https://auth.bench.example';
/** Audience of the benchmark's own tokens. */
export const BENCH_AUDIENCE = 'bench-service';
/** The subject every benchmark token belongs to; the rule topics hold a (non-matching) rule for it. */
export const BENCH_SUBJECT = 'bench-user';
/** Access-token lifetime, s: the user-service's default. */
export const TOKEN_LIFETIME_S = 600;
/** What the verifier asks of jose, so the baselines that call jose directly do the same work. */
export const VERIFIER_JOSE_OPTIONS: JWTVerifyOptions = {
  algorithms: ['ES256'],
  issuer: BENCH_ISSUER,
  audience: BENCH_AUDIENCE,
  requiredClaims: ['exp', 'iat', 'sub'],
  clockTolerance: 5,
};

/** An ES256 key pair and its public JWK (with `kid`). */
export interface BenchKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function createBenchKey(): Promise<BenchKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  // The user-service's kid is the RFC 7638 thumbprint; do the same so header sizes match.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } };
}

export function keySet(key: BenchKey): JSONWebKeySet {
  return { keys: [key.publicJwk] };
}

/** Signs an access token with the claims the user-service stamps; fresh `jti` and `sid`. */
export async function mintToken(key: BenchKey, sub = BENCH_SUBJECT): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sid: randomUUID(),
    auth_time: now,
    roles: ['player'],
    sgen: 0,
    ggen: 0,
  })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
    .setIssuer(BENCH_ISSUER)
    .setAudience(BENCH_AUDIENCE)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + TOKEN_LIFETIME_S)
    .sign(key.privateKey);
}

/** Mints `count` tokens. */
export async function mintTokens(key: BenchKey, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await mintToken(key));
  return tokens;
}
