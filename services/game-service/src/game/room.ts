import { Board } from './board.js';
import type { BoardSnapshot } from './board.js';
import { GameError } from './errors.js';
import type { Leaderboard } from './leaderboard.js';

/** Settings shared by every room of an instance. */
export interface RoomRules {
  /** Cells per side of the board. */
  readonly boardSize: number;
  /** Shortest time between two moves of one player, in ms. */
  readonly moveIntervalMs: number;
}

/** A room as clients see it. */
export interface RoomSnapshot {
  readonly room: string;
  /** Round number, from 1. */
  readonly round: number;
  readonly board: BoardSnapshot;
  /** Players present, sorted. */
  readonly players: readonly string[];
  /** Cells held per player in the current round. */
  readonly scores: Readonly<Record<string, number>>;
}

/** The end of a round. */
export interface RoundResult {
  readonly round: number;
  readonly winners: readonly string[];
  readonly scores: Readonly<Record<string, number>>;
}

/** What a move did: the claimed cell, the scores after it, and the round's end if it ended. */
export interface MoveResult {
  readonly room: string;
  readonly round: number;
  readonly x: number;
  readonly y: number;
  readonly player: string;
  readonly scores: Readonly<Record<string, number>>;
  readonly roundOver: RoundResult | undefined;
}

/**
 * One game room: a board, the players present (a player may be here from several sockets),
 * and a move throttle per player. When the board fills up the round is scored on the
 * leaderboard and a fresh board starts.
 *
 * @example
 * ```ts
 * const room = new GameRoom('lobby', { boardSize: 6, moveIntervalMs: 100 }, leaderboard);
 * room.join('user-1');
 * room.play('user-1', 0, 0);
 * ```
 */
export class GameRoom {
  readonly name: string;
  readonly #rules: RoomRules;
  readonly #leaderboard: Leaderboard;
  readonly #now: () => number;
  readonly #presence = new Map<string, number>();
  readonly #lastMoveAt = new Map<string, number>();
  #board: Board;
  #round = 1;

  constructor(
    name: string,
    rules: RoomRules,
    leaderboard: Leaderboard,
    now: () => number = Date.now,
  ) {
    this.name = name;
    this.#rules = rules;
    this.#leaderboard = leaderboard;
    this.#now = now;
    this.#board = new Board(rules.boardSize);
  }

  /** Nobody is present. */
  get empty(): boolean {
    return this.#presence.size === 0;
  }

  has(player: string): boolean {
    return this.#presence.has(player);
  }

  /** Counts one more connection of the player; returns whether the player just arrived. */
  join(player: string): boolean {
    const count = this.#presence.get(player) ?? 0;
    this.#presence.set(player, count + 1);
    return count === 0;
  }

  /** Counts one connection less; returns whether the player has now left entirely. */
  leave(player: string): boolean {
    const count = this.#presence.get(player);
    if (count === undefined) return false;
    if (count > 1) {
      this.#presence.set(player, count - 1);
      return false;
    }
    this.#presence.delete(player);
    this.#lastMoveAt.delete(player);
    return true;
  }

  /**
   * Claims a cell for a present player.
   *
   * @throws {@link GameError} `NOT_IN_ROOM`, `TOO_FAST`, `OUT_OF_BOUNDS` or `CELL_TAKEN`.
   */
  play(player: string, x: number, y: number): MoveResult {
    if (!this.#presence.has(player))
      throw new GameError({ code: 'NOT_IN_ROOM', message: `join ${this.name} first` });
    const now = this.#now();
    const last = this.#lastMoveAt.get(player);
    if (last !== undefined && now - last < this.#rules.moveIntervalMs) {
      throw new GameError({
        code: 'TOO_FAST',
        message: `one move per ${this.#rules.moveIntervalMs} ms`,
      });
    }
    this.#board.claim(x, y, player);
    this.#lastMoveAt.set(player, now);
    this.#leaderboard.recordCell(player);
    const round = this.#round;
    const scores = this.#board.scores();
    let roundOver: RoundResult | undefined;
    if (this.#board.full) {
      const winners = this.#leaderboard.recordRound(scores);
      roundOver = { round, winners, scores: Object.fromEntries(scores) };
      this.#board = new Board(this.#rules.boardSize);
      this.#round += 1;
    }
    return { room: this.name, round, x, y, player, scores: Object.fromEntries(scores), roundOver };
  }

  snapshot(): RoomSnapshot {
    return {
      room: this.name,
      round: this.#round,
      board: this.#board.snapshot(),
      players: [...this.#presence.keys()].sort(),
      scores: Object.fromEntries(this.#board.scores()),
    };
  }
}
