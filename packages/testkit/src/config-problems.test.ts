import { describe, expect, it } from 'vitest';
import { configProblemLines, configProblems } from './config-problems.js';

class SettingsError extends Error {
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super('bad settings');
  }
}

describe('configProblems', () => {
  it('returns the problems of the loader’s error, as objects or as lines', () => {
    const load = () => {
      throw new SettingsError([{ variable: 'PORT', message: 'must be a port number' }]);
    };
    expect(configProblems(SettingsError, load)).toEqual([
      { variable: 'PORT', message: 'must be a port number' },
    ]);
    expect(configProblemLines(SettingsError, load)).toEqual(['PORT: must be a port number']);
  });

  it('returns none when the loader succeeds, and lets any other error through', () => {
    expect(configProblems(SettingsError, () => ({ port: 80 }))).toEqual([]);
    expect(() =>
      configProblems(SettingsError, () => {
        throw new TypeError('crashed');
      }),
    ).toThrow('crashed');
  });
});
