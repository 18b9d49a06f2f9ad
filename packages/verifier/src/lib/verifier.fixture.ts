/**
 * Test fixtures: the verifier most tests build (the fixtures' issuer and audience, real keys,
 * revocations from a hand-driven feed), closed after each test, and what a test reads of a
 * refusal. Excluded from the build.
 */
import { outcomeOf } from '@revocation-fabric/testkit';
import { afterEach } from 'vitest';
import { VerifierError } from '../errors.js';
import type { VerifierErrorCode } from '../errors.js';
import type { TrustedIssuer } from '../issuers.js';
import type { SingleIssuerVerifierOptions } from '../options.js';
import { createVerifier } from '../verifier.js';
import type { Verifier } from '../verifier.js';
import { AUDIENCE, ISSUER, ManualFeed, keySet } from './tokens.fixture.js';
import type { SigningKey } from './tokens.fixture.js';

/**
 * ISSUER, trusted for AUDIENCE with ES256 and the public halves of `keys`; `overrides` replace
 * any field (another `issuer` makes it a second issuer signing with the same keys).
 */
export function trustedIssuer(
  keys: readonly SigningKey[],
  overrides: Partial<TrustedIssuer> = {},
): TrustedIssuer {
  return {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    jwks: keySet(...keys),
    ...overrides,
  };
}

/** The options of a verifier trusting {@link trustedIssuer}, its revocations from `feed`. */
export function trustingOptions(
  keys: readonly SigningKey[],
  feed: ManualFeed = new ManualFeed(),
): SingleIssuerVerifierOptions {
  return { ...trustedIssuer(keys), revocations: () => feed };
}

/** A verifier built from {@link trustingOptions}, any option replaced by `overrides`. */
export function trustingVerifier(
  keys: readonly SigningKey[],
  feed: ManualFeed,
  overrides: Partial<SingleIssuerVerifierOptions> = {},
): Verifier {
  return createVerifier({ ...trustingOptions(keys, feed), ...overrides });
}

/**
 * Closes, after each test of the calling file, the verifiers handed to the function it
 * returns, so a failed assertion does not leave a verifier (and its feed) open.
 *
 * @example
 * const open = closeAfterEach();
 * const verifier = open(trustingVerifier([key], feed));
 */
export function closeAfterEach(): (verifier: Verifier) => Verifier {
  const open: Verifier[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((verifier) => verifier.close()));
  });
  return (verifier) => {
    open.push(verifier);
    return verifier;
  };
}

/** The code a verification ends with: `'ok'`, or the VerifierError's code (any other error throws). */
export function codeOf(promise: Promise<unknown>): Promise<VerifierErrorCode | 'ok'> {
  return outcomeOf(promise, VerifierError);
}
