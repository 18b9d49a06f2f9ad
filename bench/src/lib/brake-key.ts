/**
 * The key the rule topics' global cutoff is signed with. A global rule is a brake, which a
 * verifier applies only when signed by a key its issuer trusts for brakes; every benchmark
 * process must know the same key, so it is written here. It signs nothing but benchmark
 * records on benchmark brokers: not a secret.
 */
import { BRAKE_SIGNATURE_TYPE } from '@revocation-fabric/protocol';
import { FlattenedSign, importJWK } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';

const BRAKE_KID = 'bench-brake-1';

const PRIVATE_JWK: JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'mfNqwM1KFxLUT2CURIEBjYXJEDO1ZQhORs2LSL3vxIo',
  y: 'GoiTseqNEBp3bGAjLLCdqG5yIa1amE7W6Fx2hgYygvQ',
  d: 'Eq0koQBntmzYhoRnQ6sLyrzRKkm4_EQJBoBnEp_I0KE',
};

/** The public half, as the benchmark verifiers' `authority.brakeKeys`. */
export const BENCH_BRAKE_KEYS: JSONWebKeySet = {
  keys: [
    {
      kty: 'EC',
      crv: 'P-256',
      x: PRIVATE_JWK.x ?? '',
      y: PRIVATE_JWK.y ?? '',
      kid: BRAKE_KID,
      alg: 'ES256',
      use: 'sig',
    },
  ],
};

/** Signs a brake record's value: the detached JWS of its `revocation-signature` header. */
export async function signBenchBrake(payload: string): Promise<string> {
  const key = await importJWK({ ...PRIVATE_JWK, alg: 'ES256' }, 'ES256');
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'ES256', kid: BRAKE_KID, typ: BRAKE_SIGNATURE_TYPE })
    .sign(key);
  return `${jws.protected ?? ''}..${jws.signature}`;
}
