import { describe, expect, it } from 'vitest';
import { CodedError } from '@revocation-fabric/protocol';
import { ERROR_CODES, HTTP_STATUS, UserServiceError } from './errors.js';

describe('UserServiceError', () => {
  it('takes an options object and carries code, message, status, fields, headers and cause', () => {
    const cause = new Error('inner');
    const error = new UserServiceError({
      code: 'LOGIN_THROTTLED',
      message: 'slow down',
      headers: { 'Retry-After': '30' },
      fields: [{ path: 'body.username', message: 'throttled' }],
      cause,
    });
    expect(error).toBeInstanceOf(CodedError);
    expect(error.name).toBe('UserServiceError');
    expect(error.code).toBe('LOGIN_THROTTLED');
    expect(error.message).toBe('slow down');
    expect(error.status).toBe(429);
    expect(error.headers).toEqual({ 'Retry-After': '30' });
    expect(error.fields).toEqual([{ path: 'body.username', message: 'throttled' }]);
    expect(error.cause).toBe(cause);
  });

  it('has a default message per code', () => {
    const error = new UserServiceError({ code: 'INTERNAL_ERROR' });
    expect(error.message).toBe('internal error');
    expect(error.headers).toEqual({});
    expect(error.fields).toBeUndefined();
  });

  it('takes its message and status from the options and the code table', () => {
    const error = new UserServiceError({ code: 'NOT_FOUND', message: 'no such user' });
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('no such user');
    expect(error.status).toBe(404);
  });

  it('answers a session past its absolute lifetime with 401 SESSION_EXPIRED', () => {
    const error = new UserServiceError({ code: 'SESSION_EXPIRED' });
    expect(error.status).toBe(401);
    expect(error.message).toBe('the session reached its maximum lifetime; sign in again');
    expect(ERROR_CODES).toContain('SESSION_EXPIRED');
  });

  it('lists every code of the status table in UPPER_SNAKE_CASE', () => {
    expect(ERROR_CODES).toEqual(Object.keys(HTTP_STATUS));
    // ERROR_CODES is derived from the table, so the equality above cannot fail by itself: each
    // listed code must also build an error with a default message, answered with a 4xx or 5xx.
    expect(ERROR_CODES.length).toBeGreaterThan(0);
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      const error = new UserServiceError({ code });
      expect(error.message, code).toMatch(/\S/);
      expect(error.status, code).toBeGreaterThanOrEqual(400);
      expect(error.status, code).toBeLessThan(600);
    }
  });
});
