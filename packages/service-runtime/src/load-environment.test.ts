import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { ConfigProblem } from './config-error.js';
import { loadEnvironment } from './load-environment.js';

const port = z
  .string()
  .regex(/^\d+$/, 'must be an integer')
  .transform(Number)
  .pipe(z.number().max(65535))
  .default(3000);

const variables = {
  PORT: port,
  ISSUER: z.url({ error: 'must be a URL' }),
  API_KEY: z.string().min(8, 'must be at least 8 characters').optional(),
};

function problemsOf(env: Record<string, string>): ConfigProblem[] {
  try {
    loadEnvironment(variables, env, { secrets: /KEY/ });
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadEnvironment', () => {
  it('parses each variable with its own schema', () => {
    const values = loadEnvironment(variables, { PORT: '8080', ISSUER: 'http://auth.test' });
    expect(values).toEqual({ PORT: 8080, ISSUER: 'http://auth.test', API_KEY: undefined });
  });

  it('treats an empty variable as unset, so its default applies', () => {
    expect(loadEnvironment(variables, { PORT: '', ISSUER: 'http://auth.test' }).PORT).toBe(3000);
  });

  it('names every bad variable in one error', () => {
    try {
      loadEnvironment(variables, { PORT: 'eighty' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
      expect((error as ConfigError).name).toBe('ConfigError');
      expect((error as ConfigError).problems).toEqual([
        { variable: 'PORT', message: 'must be an integer (got "eighty")' },
        { variable: 'ISSUER', message: expect.not.stringContaining('(got') },
      ]);
      expect((error as ConfigError).message).toMatch(
        /^invalid configuration: PORT: must be an integer \(got "eighty"\); ISSUER: /,
      );
    }
  });

  it('never echoes the value of a variable named as a secret', () => {
    const [problem] = problemsOf({ ISSUER: 'http://auth.test', API_KEY: 'hunter2' });
    expect(problem).toEqual({
      variable: 'API_KEY',
      message: 'must be at least 8 characters (got "<redacted>")',
    });
  });

  it('redacts every secret even when the pattern carries a /g flag', () => {
    const secrets = /KEY/g;
    const env = { ISSUER: 'http://auth.test', API_KEY: 'hunter2' };
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => loadEnvironment(variables, env, { secrets })).toThrow('<redacted>');
    }
  });
});
