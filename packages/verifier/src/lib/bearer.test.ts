import { describe, expect, it } from 'vitest';
import { authorizationHeaders, readBearerToken } from './bearer.js';

describe('readBearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER  abc', 'abc'],
    ['Bearer a-b_c~d+e/f==', 'a-b_c~d+e/f=='],
  ])('reads %j', (header, token) => {
    expect(readBearerToken([header])).toBe(token);
  });

  it('reports a missing header as TOKEN_MISSING', () => {
    expect(() => readBearerToken(undefined)).toThrow(
      expect.objectContaining({ code: 'TOKEN_MISSING' }),
    );
    expect(() => readBearerToken([])).toThrow(expect.objectContaining({ code: 'TOKEN_MISSING' }));
  });

  it.each([
    [['Bearer a', 'Bearer b']],
    [['Basic abc']],
    [['Bearer']],
    [['Bearer a b']],
    [['Bearer a=b']],
    [['Bearer\tabc']],
    [['Bearerabc']],
  ])('reports %j as a malformed request', (values) => {
    expect(() => readBearerToken(values)).toThrow(
      expect.objectContaining({ code: 'TOKEN_MALFORMED', part: 'request' }),
    );
  });
});

describe('authorizationHeaders', () => {
  it('collects every Authorization header of the raw list, in order, whatever its case', () => {
    expect(
      authorizationHeaders([
        'Host',
        'example',
        'authorization',
        'Bearer a',
        'X-Authorization',
        'Bearer x',
        'AUTHORIZATION',
        'Bearer b',
      ]),
    ).toEqual(['Bearer a', 'Bearer b']);
    expect(authorizationHeaders(['Host', 'example'])).toEqual([]);
  });
});
