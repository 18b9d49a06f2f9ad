import { describe, expect, it } from 'vitest';
import { receiptSentence } from './receipt-text.js';
import { count, formatTable, humanDuration, isoTime, relativeTime } from './text.js';

describe('text', () => {
  it('aligns a table under its header, the last column unpadded', () => {
    expect(
      formatTable(
        ['KIND', 'RULES'],
        [
          ['session', '12'],
          ['global', '1'],
        ],
      ),
    ).toBe('KIND     RULES\nsession  12\nglobal   1');
  });

  it('groups thousands and tells durations and times for humans', () => {
    expect(count(40000)).toBe('40,000');
    expect(count(12)).toBe('12');
    expect(humanDuration(41)).toBe('41 ms');
    expect(humanDuration(598_000)).toBe('9m 58s');
    expect(humanDuration(7 * 86_400_000)).toBe('7d');
    expect(isoTime(Date.UTC(2026, 11, 7, 8, 1, 2, 345))).toBe('2026-12-07T08:01:02Z');
    expect(isoTime(Date.UTC(2026, 11, 7, 8, 1, 2, 345), true)).toBe('2026-12-07T08:01:02.345Z');
    expect(relativeTime(10_000, 0)).toBe('in 10s');
    expect(relativeTime(0, 180_000)).toBe('3m ago');
  });
});

describe('receiptSentence', () => {
  const verifier = (clientId: string, host: string, behind = 0) => ({
    groupId: `${clientId}-g`,
    clientId,
    host,
    behind,
  });

  it('says who applied and how fast when every verifier did', () => {
    expect(
      receiptSentence({
        of: 2,
        complete: true,
        applied: [verifier('a', '10.0.0.4'), verifier('b', '10.0.0.5')],
        pending: [],
        gone: [],
        ms: 41,
      }),
    ).toBe('applied by 2 of 2 verifiers in 41 ms');
  });

  it('names the laggards with their host and how far behind they are', () => {
    expect(
      receiptSentence({
        of: 2,
        complete: false,
        applied: [verifier('game-service-v1', '10.0.0.4')],
        pending: [verifier('game-service-v0', '10.0.0.5', 1)],
        gone: [],
        ms: 5000,
      }),
    ).toBe('applied by 1 of 2 verifiers; not yet: game-service-v0 (10.0.0.5, 1 behind)');
  });

  it('tells a fleet of none and verifiers that left', () => {
    expect(receiptSentence({ of: 0, complete: true, applied: [], pending: [], gone: [] })).toMatch(
      /no live verifier/,
    );
    expect(
      receiptSentence({
        of: 2,
        complete: true,
        applied: [verifier('a', 'h')],
        pending: [],
        gone: [verifier('b', 'h2', 3)],
      }),
    ).toBe('applied by 1 of 2 verifiers; left before applying it: b (h2)');
  });
});
