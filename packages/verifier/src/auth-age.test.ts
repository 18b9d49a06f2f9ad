import { describe, expect, it } from 'vitest';
import { assertRecentAuth, resolveMaxAuthAge } from './auth-age.js';
import { readClaims } from './claims.js';
import { InsufficientUserAuthenticationError } from './errors.js';

const NOW = Date.UTC(2031, 0, 1);
const NOW_SECONDS = NOW / 1000;

function tokenWith(authTime: number | undefined) {
  return readClaims(
    {
      sub: 'u1',
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 300,
      ...(authTime === undefined ? {} : { auth_time: authTime }),
    },
    undefined,
  );
}

function refusal(run: () => void): unknown {
  try {
    run();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('assertRecentAuth', () => {
  it('admits a login exactly maxAgeSeconds old, and refuses one a millisecond older', () => {
    const token = tokenWith(NOW_SECONDS - 300);
    expect(refusal(() => assertRecentAuth(token, 300, NOW))).toBeUndefined();
    const error = refusal(() => assertRecentAuth(token, 300, NOW + 1));
    expect(error).toBeInstanceOf(InsufficientUserAuthenticationError);
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_USER_AUTHENTICATION',
      maxAgeSeconds: 300,
      authTime: NOW_SECONDS - 300,
    });
  });

  it('judges a fractional auth_time to the millisecond', () => {
    const token = tokenWith(NOW_SECONDS - 299.5);
    expect(refusal(() => assertRecentAuth(token, 300, NOW + 500))).toBeUndefined();
    expect(refusal(() => assertRecentAuth(token, 300, NOW + 501))).toBeInstanceOf(
      InsufficientUserAuthenticationError,
    );
  });

  it('refuses a token without auth_time with the same error', () => {
    expect(refusal(() => assertRecentAuth(tokenWith(undefined), 86_400, NOW))).toMatchObject({
      code: 'INSUFFICIENT_USER_AUTHENTICATION',
      authTime: undefined,
      message: 'a more recent authentication is required: the token carries no auth_time',
    });
  });
});

describe('resolveMaxAuthAge', () => {
  it('returns a positive integer number of seconds', () => {
    expect(resolveMaxAuthAge({ maxAgeSeconds: 1 }, 'guard')).toBe(1);
  });

  it.each([
    [{ maxAgeSeconds: 0 }, /guard\.maxAgeSeconds must be an integer ≥ 1, got 0/],
    [{ maxAgeSeconds: 2.5 }, /guard\.maxAgeSeconds/],
    [{ maxAgeSeconds: Number.NaN }, /guard\.maxAgeSeconds/],
    [{}, /guard\.maxAgeSeconds is required/],
    [300, /guard must be \{ maxAgeSeconds \}, got 300/],
    [null, /guard must be/],
  ])('refuses %j with a TypeError naming the option', (options, message) => {
    expect(() => resolveMaxAuthAge(options, 'guard')).toThrow(message);
    expect(() => resolveMaxAuthAge(options, 'guard')).toThrow(TypeError);
  });
});
