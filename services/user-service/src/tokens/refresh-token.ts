/**
 * Opaque refresh tokens: 256 random bits, shown to the client once and stored only as their
 * SHA-256. A fast hash is enough here — unlike a password, the token has full entropy — and it
 * lets the lookup be a plain indexed equality.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new refresh token and the hash to store. */
export function newRefreshToken(): { readonly token: string; readonly hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

/** The stored form of a refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
