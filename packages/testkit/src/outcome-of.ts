/**
 * A class of coded errors, its constructor possibly protected (as `CodedError`'s is): what
 * `instanceof` needs of it, and the type of its instances.
 */
export interface ErrorClass<Code extends string> {
  readonly prototype: Error & { readonly code: Code };
  [Symbol.hasInstance](value: unknown): boolean;
}

/**
 * What `promise` ends with, as a test compares it: `'ok'` when it resolves, or the `code` of
 * the `errorClass` error it rejects with. Any other rejection is rethrown: it is a failure of
 * the test, not an outcome of the code under test.
 *
 * @example
 * ```ts
 * expect(await outcomeOf(verifier.verify(token), VerifierError)).toBe('TOKEN_REVOKED');
 * ```
 */
export async function outcomeOf<Code extends string>(
  promise: Promise<unknown>,
  errorClass: ErrorClass<Code>,
): Promise<Code | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    // `instanceof` does not narrow through a plain `Symbol.hasInstance`; it did check the class.
    if (error instanceof errorClass) return (error as ErrorClass<Code>['prototype']).code;
    throw error;
  }
}
