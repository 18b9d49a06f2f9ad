/**
 * The emergency brakes — `global` and `key` rules — and how they are signed. A brake refuses
 * every token of an issuer (or of one of its keys), so a Kafka password must not be enough to
 * pull one: a brake counts only with a signature by a key the issuer controls outside Kafka.
 *
 * The signature is a JWS (RFC 7515) with detached content (Appendix F) over the record value
 * exactly as published — the UTF-8 JSON the outbox committed — carried in the record header
 * {@link REVOCATION_SIGNATURE_HEADER}. Signing the bytes rather than a canonical form of the
 * event means there is nothing to canonicalize: the verifier checks the bytes it read. The
 * protected header names the key (`kid`), the algorithm and the type
 * {@link BRAKE_SIGNATURE_TYPE}; the type keeps a brake signature from ever passing for an
 * access token signed by the same key, and an access token from passing for a brake.
 */
import type { RuleKind } from './event.js';

/** The rule kinds that are brakes: they take effect only when signed. */
export const BRAKE_KINDS = ['key', 'global'] as const satisfies readonly RuleKind[];

/** A brake's kind. */
export type BrakeKind = (typeof BRAKE_KINDS)[number];

/** The Kafka record header carrying a brake's detached JWS (`<protected>..<signature>`). */
export const REVOCATION_SIGNATURE_HEADER = 'revocation-signature';

/** The `typ` of a brake signature's protected header. */
export const BRAKE_SIGNATURE_TYPE = 'revocation-brake+jws';

/**
 * Is this rule kind a brake (`key` or `global`)?
 *
 * @example
 * ```ts
 * isBrake('global') // true
 * isBrake('subject') // false
 * ```
 */
export function isBrake(kind: RuleKind): kind is BrakeKind {
  return kind === 'key' || kind === 'global';
}
