import { describe, expect, it } from 'vitest';
import { requestLogLevel, requestLogOptions } from './request-log.js';

describe('requestLogLevel', () => {
  it('logs successes at debug, refusals (4xx and 503) at info and real failures at error', () => {
    expect(requestLogLevel({ statusCode: 200 })).toBe('debug');
    expect(requestLogLevel({ statusCode: 304 })).toBe('debug');
    expect(requestLogLevel({ statusCode: 400 })).toBe('info');
    expect(requestLogLevel({ statusCode: 404 })).toBe('info');
    expect(requestLogLevel({ statusCode: 429 })).toBe('info');
    expect(requestLogLevel({ statusCode: 503 })).toBe('info');
    expect(requestLogLevel({ statusCode: 500 })).toBe('error');
    expect(requestLogLevel({ statusCode: 502 })).toBe('error');
  });

  it('logs at error whenever an error is attached, whatever the status', () => {
    expect(requestLogLevel({ statusCode: 503, err: new Error('boom') })).toBe('error');
    expect(requestLogLevel({ statusCode: 200 }, new Error('socket hang up'))).toBe('error');
  });
});

describe('requestLogOptions', () => {
  const synthesized = new Error('failed with status code 503');
  const val = { req: { id: '1' }, res: { statusCode: 503 }, err: synthesized, responseTime: 3 };

  it('drops the made-up error (and its stack) of a 503 refusal', () => {
    expect(requestLogOptions.customErrorObject({}, { statusCode: 503 }, synthesized, val)).toEqual({
      req: { id: '1' },
      res: { statusCode: 503 },
      responseTime: 3,
    });
    expect(requestLogOptions.customErrorMessage({}, { statusCode: 503 })).toBe('request refused');
  });

  it('keeps the error of a real failure', () => {
    const real = new Error('database gone');
    const failed = { ...val, err: real };
    expect(
      requestLogOptions.customErrorObject({}, { statusCode: 500, err: real }, real, failed),
    ).toBe(failed);
    expect(requestLogOptions.customErrorMessage({}, { statusCode: 500 })).toBe('request failed');
  });
});
