import { describe, expect, it } from 'vitest';
import { UserServiceError } from '../errors.js';
import { DEFAULT_APPLIED_WAIT_MS, parseAppliedPreference } from './prefer-applied.js';

describe('parseAppliedPreference', () => {
  it('reads wait=applied with the default bound', () => {
    expect(parseAppliedPreference('wait=applied')).toEqual({ timeoutMs: DEFAULT_APPLIED_WAIT_MS });
  });

  it('reads a bound in seconds, among other preferences, in any case', () => {
    expect(parseAppliedPreference('respond-async, Wait=Applied; Timeout=2.5')).toEqual({
      timeoutMs: 2_500,
    });
    expect(parseAppliedPreference(['return=minimal', 'wait="applied"; timeout=30'])).toEqual({
      timeoutMs: 30_000,
    });
  });

  it('ignores preferences it does not know, RFC 7240 wait=<seconds> included', () => {
    expect(parseAppliedPreference(undefined)).toBeUndefined();
    expect(parseAppliedPreference('wait=10')).toBeUndefined();
    expect(parseAppliedPreference('return=representation')).toBeUndefined();
  });

  it.each(['timeout=0', 'timeout=31', 'timeout=-1', 'timeout=soon', 'timeout', 'timeout=1e3'])(
    'refuses wait=applied; %s as the client’s mistake',
    (parameter) => {
      const parse = () => parseAppliedPreference(`wait=applied; ${parameter}`);
      expect(parse).toThrow(UserServiceError);
      expect(parse).toThrow(/timeout=<seconds>/);
    },
  );
});
