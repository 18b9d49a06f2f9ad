import { describe, expect, it } from 'vitest';
import { CodedError } from '@revocation-fabric/protocol';
import { GAME_HTTP_STATUS, GameError } from './errors.js';

describe('GameError', () => {
  it('carries its code, message, status and name, as a CodedError', () => {
    const error = new GameError({ code: 'CELL_TAKEN', message: '(2, 3) is taken' });
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GameError');
    expect(error.code).toBe('CELL_TAKEN');
    expect(error.message).toBe('(2, 3) is taken');
    expect(error.status).toBe(409);
  });

  it('has a default message per code and keeps a cause', () => {
    const cause = new Error('inner');
    const error = new GameError({ code: 'INTERNAL_ERROR', cause });
    expect(error.message).toBe('internal error');
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(500);
  });

  it('maps every code to a 4xx or 5xx status in UPPER_SNAKE_CASE', () => {
    for (const [code, status] of Object.entries(GAME_HTTP_STATUS)) {
      expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
      expect(status).toBeGreaterThanOrEqual(400);
    }
  });
});
