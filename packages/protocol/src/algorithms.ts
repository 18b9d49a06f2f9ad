/**
 * The JWS algorithms anything of this fabric may accept a signature with: asymmetric only. With
 * a shared secret (`HS*`) every party able to check a signature could also make one — every
 * verifying service could mint tokens, every receiver could forge a provider's signals — and
 * `none` is no signature at all. One list, for the verifier and the gateway alike.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** One of {@link ASYMMETRIC_ALGORITHMS}. */
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

const ALLOWED: ReadonlySet<string> = new Set(ASYMMETRIC_ALGORITHMS);

/**
 * Is `alg` one of {@link ASYMMETRIC_ALGORITHMS}?
 *
 * @example
 * ```ts
 * isAsymmetricAlgorithm('ES256') // true
 * isAsymmetricAlgorithm('HS256') // false
 * ```
 */
export function isAsymmetricAlgorithm(alg: unknown): alg is AsymmetricAlgorithm {
  return typeof alg === 'string' && ALLOWED.has(alg);
}
