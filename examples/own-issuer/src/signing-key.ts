/**
 * The issuer's signing key: an ES256 key pair kept in its database, so every instance signs with
 * the same key and publishes the same JWKS. Created at the first start.
 *
 * (Rotation and encryption at rest are left out to keep the example short; the user-service
 * shows both.)
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** What `/.well-known/jwks.json` publishes. */
  readonly publicJwk: JWK;
}

/** The public members of an EC private JWK (everything but `d`). */
function publicHalf(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || crv === undefined || x === undefined || y === undefined) {
    throw new TypeError('the stored signing key is not an EC key');
  }
  return { kty, crv, x, y };
}

async function toSigningKey(kid: string, privateJwk: JWK): Promise<SigningKey> {
  const publicJwk = { ...publicHalf(privateJwk), kid, alg: 'ES256', use: 'sig' };
  return {
    kid,
    privateKey: (await importJWK(privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
    publicJwk,
  };
}

/** The key to sign with: the oldest in the table, created first if there is none. */
export async function loadSigningKey(db: Kysely<Database>): Promise<SigningKey> {
  const oldest = () =>
    db
      .selectFrom('signing_keys')
      .select(['kid', 'private_jwk'])
      .orderBy('created_at')
      .orderBy('kid')
      .limit(1)
      .executeTakeFirst();
  let row = await oldest();
  if (row === undefined) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(publicHalf(privateJwk));
    await db
      .insertInto('signing_keys')
      .values({ kid, private_jwk: JSON.stringify(privateJwk) })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    // Instances starting together may each insert one: all of them sign with the oldest.
    row = await oldest();
    if (row === undefined) throw new Error('no signing key after inserting one');
  }
  return toSigningKey(row.kid, row.private_jwk as JWK);
}
