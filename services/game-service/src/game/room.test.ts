import { describe, expect, it } from 'vitest';
import { Board } from './board.js';
import { GameError } from './errors.js';
import { GameRooms } from './game-rooms.js';
import { Leaderboard } from './leaderboard.js';
import { GameRoom } from './room.js';

function codeOf(action: () => unknown): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    if (error instanceof GameError) return error.code;
    throw error;
  }
}

describe('Board', () => {
  it('lets each cell be claimed once and counts cells per player', () => {
    const board = new Board(2);
    board.claim(0, 0, 'a');
    board.claim(1, 0, 'b');
    board.claim(0, 1, 'a');
    expect(codeOf(() => board.claim(0, 0, 'b'))).toBe('CELL_TAKEN');
    expect(codeOf(() => board.claim(2, 0, 'b'))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => board.claim(-1, 0, 'b'))).toBe('OUT_OF_BOUNDS');
    expect(board.full).toBe(false);
    board.claim(1, 1, 'b');
    expect(board.full).toBe(true);
    expect(Object.fromEntries(board.scores())).toEqual({ a: 2, b: 2 });
    expect(board.snapshot()).toEqual({
      size: 2,
      cells: [
        ['a', 'b'],
        ['a', 'b'],
      ],
    });
  });

  it('refuses an impossible size', () => {
    expect(() => new Board(1)).toThrow(TypeError);
    expect(() => new Board(2.5)).toThrow(TypeError);
  });
});

describe('GameRoom', () => {
  it('only lets present players move, and throttles each player', () => {
    let now = 1_000;
    const room = new GameRoom(
      'r',
      { boardSize: 3, moveIntervalMs: 100 },
      new Leaderboard(),
      () => now,
    );
    expect(codeOf(() => room.play('a', 0, 0))).toBe('NOT_IN_ROOM');
    room.join('a');
    room.join('b');
    expect(room.play('a', 0, 0)).toMatchObject({
      room: 'r',
      round: 1,
      x: 0,
      y: 0,
      player: 'a',
      scores: { a: 1 },
    });
    expect(codeOf(() => room.play('a', 1, 0))).toBe('TOO_FAST');
    expect(codeOf(() => room.play('b', 1, 0))).toBe('ok');
    now += 100;
    expect(codeOf(() => room.play('a', 2, 0))).toBe('ok');
  });

  it('scores a full board on the leaderboard and starts the next round', () => {
    const leaderboard = new Leaderboard();
    const room = new GameRoom('r', { boardSize: 2, moveIntervalMs: 0 }, leaderboard);
    room.join('a');
    room.join('b');
    room.play('a', 0, 0);
    room.play('b', 1, 0);
    room.play('a', 0, 1);
    const last = room.play('a', 1, 1);
    expect(last.roundOver).toEqual({ round: 1, winners: ['a'], scores: { a: 3, b: 1 } });
    expect(room.snapshot()).toMatchObject({ round: 2, scores: {}, players: ['a', 'b'] });
    expect(leaderboard.top(10)).toEqual([
      { player: 'a', wins: 1, cells: 3, rounds: 1 },
      { player: 'b', wins: 0, cells: 1, rounds: 1 },
    ]);
  });

  it('counts a player present until their last connection leaves', () => {
    const room = new GameRoom('r', { boardSize: 2, moveIntervalMs: 0 }, new Leaderboard());
    expect(room.join('a')).toBe(true);
    expect(room.join('a')).toBe(false);
    expect(room.leave('a')).toBe(false);
    expect(room.has('a')).toBe(true);
    expect(room.leave('a')).toBe(true);
    expect(room.empty).toBe(true);
  });
});

describe('GameRooms', () => {
  it('opens rooms on demand, closes them when empty, and caps how many are open', () => {
    const rooms = new GameRooms(
      { boardSize: 2, moveIntervalMs: 0, maxRooms: 1 },
      new Leaderboard(),
    );
    expect(rooms.join('one', 'a').arrived).toBe(true);
    expect(codeOf(() => rooms.join('two', 'a'))).toBe('ROOM_LIMIT');
    expect(rooms.leave('one', 'a')).toBe(true);
    expect(rooms.size).toBe(0);
    expect(rooms.join('two', 'a').room.name).toBe('two');
  });
});
