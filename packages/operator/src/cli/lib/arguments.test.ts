import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import {
  parseDuration,
  parseInteger,
  parsePosition,
  readCommandLine,
  stringOption,
} from './arguments.js';

describe('readCommandLine', () => {
  const options = {
    json: { type: 'boolean' },
    wait: { type: 'string' },
    topic: { type: 'string' },
  } as const;

  it('reads options wherever they stand among the positionals', () => {
    const line = readCommandLine(['revoke', '--json', 'session', 's-1', '--topic', 't'], options);
    expect(line.positionals).toEqual(['revoke', 'session', 's-1']);
    expect(line.values).toMatchObject({ json: true, topic: 't' });
  });

  it('lets --wait stand alone without swallowing the next word', () => {
    const bare = readCommandLine(['session', '--wait', 's-1'], options, 'revoke', ['--wait']);
    expect(bare.positionals).toEqual(['session', 's-1']);
    expect(stringOption(bare.values, 'wait')).toBe('');
    const valued = readCommandLine(['session', '--wait=10', 's-1'], options, 'revoke', ['--wait']);
    expect(stringOption(valued.values, 'wait')).toBe('10');
  });

  it('refuses an unknown option with a UsageError naming it and the command', () => {
    const attempt = () => readCommandLine(['status', '--kind', 'x'], options, 'status');
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(/--kind/);
    try {
      attempt();
    } catch (error) {
      expect((error as UsageError).command).toBe('status');
      expect((error as UsageError).exitCode).toBe(2);
    }
  });

  it('refuses a string option without its value', () => {
    expect(() => readCommandLine(['status', '--topic'], options)).toThrow(/--topic/);
  });
});

describe('values', () => {
  it('reads durations with their unit', () => {
    expect(parseDuration('15m', 'max-token-lifetime')).toBe(900_000);
    expect(parseDuration('90s', 'x')).toBe(90_000);
    expect(parseDuration('1.5h', 'x')).toBe(5_400_000);
    expect(parseDuration('2d', 'x')).toBe(172_800_000);
    expect(parseDuration('500ms', 'x')).toBe(500);
  });

  it('refuses a duration without a unit or not positive', () => {
    expect(() => parseDuration('900', 'max-token-lifetime')).toThrow(
      /--max-token-lifetime must be a duration/,
    );
    expect(() => parseDuration('0s', 'x')).toThrow(UsageError);
    expect(() => parseDuration('ten minutes', 'x')).toThrow(UsageError);
  });

  it('reads whole numbers and positions', () => {
    expect(parseInteger('7', 'last', 0)).toBe(7);
    expect(() => parseInteger('-1', 'last', 0)).toThrow(/--last must be a whole number ≥ 0/);
    expect(parsePosition('2:41', 'event')).toEqual({ partition: 2, offset: 41 });
    expect(() => parsePosition('2-41', 'event')).toThrow(/--event must be <partition>:<offset>/);
  });
});
