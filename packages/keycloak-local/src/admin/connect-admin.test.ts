import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdminRequestError, UnexpectedResponseError } from '../errors.js';
import { connectAdmin, parseJson } from './connect-admin.js';

describe('parseJson', () => {
  const schema = z.object({ id: z.string() });

  it('returns the parsed value of the expected shape', () => {
    expect(parseJson('{"id":"x","extra":1}', schema, '/p')).toEqual({ id: 'x' });
  });

  it('refuses text that is not JSON with a typed error naming the path', () => {
    expect(() => parseJson('<html>', schema, '/admin/x')).toThrow(UnexpectedResponseError);
    expect(() => parseJson('<html>', schema, '/admin/x')).toThrow(/\/admin\/x/);
  });

  it('refuses JSON of another shape', () => {
    expect(() => parseJson('{"id":7}', schema, '/p')).toThrow(UnexpectedResponseError);
  });
});

describe('connectAdmin', () => {
  it('fails with status 0 when no server answers', async () => {
    const attempt = connectAdmin({
      url: 'http://127.0.0.1:1',
      adminUsername: 'a',
      adminPassword: 'b',
    });
    await expect(attempt).rejects.toBeInstanceOf(AdminRequestError);
    await expect(attempt).rejects.toMatchObject({ code: 'ADMIN_REQUEST_FAILED', status: 0 });
  });
});
