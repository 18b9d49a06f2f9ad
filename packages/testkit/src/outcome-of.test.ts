import { describe, expect, it } from 'vitest';
import { outcomeOf } from './outcome-of.js';

class CodedError extends Error {
  constructor(readonly code: 'REFUSED' | 'EXPIRED') {
    super(code);
  }
}

describe('outcomeOf', () => {
  it('says ok for a promise that resolves', async () => {
    expect(await outcomeOf(Promise.resolve(42), CodedError)).toBe('ok');
  });

  it('gives the code of an error of the class named', async () => {
    expect(await outcomeOf(Promise.reject(new CodedError('EXPIRED')), CodedError)).toBe('EXPIRED');
  });

  it('rethrows an error of any other class: the test failed, not the code under test', async () => {
    const other = new TypeError('boom');
    await expect(outcomeOf(Promise.reject(other), CodedError)).rejects.toBe(other);
  });
});
