/**
 * Checking a brake's signature: a detached JWS over the record value, by a key of the issuer's
 * brake key set (see `@revocation-fabric/protocol`'s `brakes.ts` for the format and why).
 */
import { base64url, compactVerify, errors } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { BRAKE_SIGNATURE_TYPE } from '@revocation-fabric/protocol';
import { JwksUnavailableError } from './errors.js';

/**
 * What a signature check found: `valid`; `invalid` (malformed, wrong type or algorithm, no
 * matching key, bad signature: the brake is refused); `unreachable` (the key set could not be
 * fetched: ask again later, the brake is neither applied nor refused yet).
 */
export type BrakeVerdict = 'valid' | 'invalid' | 'unreachable';

/** A detached compact JWS: `<protected>..<signature>`, both parts base64url. */
const DETACHED_JWS = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/;

/**
 * Checks a brake signature against the payload it claims to cover.
 *
 * @param signature - the `revocation-signature` header's value.
 * @param payload - the record value, exactly as read.
 * @param keys - the issuer's brake key set.
 * @param algorithms - the algorithms accepted (the issuer's pinned ones).
 */
export async function verifyBrakeSignature(
  signature: string,
  payload: Uint8Array | string,
  keys: JWTVerifyGetKey,
  algorithms: readonly string[],
): Promise<BrakeVerdict> {
  const parts = DETACHED_JWS.exec(signature);
  const [, protectedHeader64, signature64] = parts ?? [];
  if (protectedHeader64 === undefined || signature64 === undefined) return 'invalid';
  try {
    // Detached content: put the payload back between the two parts (RFC 7515 Appendix F).
    const jws = `${protectedHeader64}.${base64url.encode(payload)}.${signature64}`;
    const { protectedHeader } = await compactVerify(jws, keys, { algorithms: [...algorithms] });
    return protectedHeader.typ === BRAKE_SIGNATURE_TYPE ? 'valid' : 'invalid';
  } catch (error) {
    if (error instanceof JwksUnavailableError) return 'unreachable';
    if (error instanceof errors.JOSEError) return 'invalid';
    // Network failures surface as plain errors from a remote key set: not a verdict.
    return 'unreachable';
  }
}
