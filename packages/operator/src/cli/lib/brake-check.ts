/**
 * A brake counts only with a valid signature by a key of its issuer (the verifier's rule): a
 * detached JWS over the record value, typed `BRAKE_SIGNATURE_TYPE`. `inspect` checks each brake
 * that would reject the token against the issuer's JWKS, the one the token's own signature was
 * checked against, so a forged brake is reported as what verifiers make of it: refused.
 */
import { base64url, compactVerify, createRemoteJWKSet } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { ASYMMETRIC_ALGORITHMS, BRAKE_SIGNATURE_TYPE, isBrake } from '@revocation-fabric/protocol';
import type { RejectingRecord, RejectingRules } from './verdict.js';

/** What became of a brake's signature: checked valid or invalid, or not checked (no keys). */
export type BrakeSignatureCheck = 'valid' | 'invalid' | 'not-checked';

/** A detached compact JWS: `<protected>..<signature>`. */
const DETACHED_JWS = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/;

/** Checks one brake signature over `payload` with `keys`. Never throws. */
export async function checkBrakeSignature(
  signature: string,
  payload: string,
  keys: JWTVerifyGetKey,
): Promise<'valid' | 'invalid'> {
  const [, header, signed] = DETACHED_JWS.exec(signature) ?? [];
  if (header === undefined || signed === undefined) return 'invalid';
  try {
    // Detached content: the payload goes back between the two parts (RFC 7515, appendix F).
    const { protectedHeader } = await compactVerify(
      `${header}.${base64url.encode(payload)}.${signed}`,
      keys,
      { algorithms: [...ASYMMETRIC_ALGORITHMS] },
    );
    return protectedHeader.typ === BRAKE_SIGNATURE_TYPE ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * The rules with every signed brake's signature checked against `jwksUrl` (the issuer's keys);
 * without keys a signed brake is `not-checked` and still counts, as it would if valid. An
 * unsigned brake never counts.
 */
export async function checkBrakes(
  rules: RejectingRules,
  jwksUrl: string | undefined,
  timeoutMs = 5_000,
): Promise<RejectingRules> {
  const keys =
    jwksUrl === undefined
      ? undefined
      : createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: timeoutMs });
  const rejecting = await Promise.all(
    rules.rejecting.map(async (record): Promise<RejectingRecord> => {
      const signed = record.brakeSignature;
      if (!isBrake(record.event.kind) || signed === undefined) return record;
      const check: BrakeSignatureCheck =
        keys === undefined
          ? 'not-checked'
          : await checkBrakeSignature(signed.signature, signed.payload, keys);
      return { ...record, brakeCheck: check, counts: check !== 'invalid' };
    }),
  );
  return { ...rules, rejecting };
}
