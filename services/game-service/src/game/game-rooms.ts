import { GameError } from './errors.js';
import type { Leaderboard } from './leaderboard.js';
import { GameRoom } from './room.js';
import type { RoomRules } from './room.js';

/** Settings of {@link GameRooms}. */
export interface GameRoomsOptions extends RoomRules {
  /** Most rooms open at once; joining another is refused with `ROOM_LIMIT`. */
  readonly maxRooms: number;
}

/**
 * The rooms of one instance. A room opens when its first player joins and closes when its last
 * one leaves, so memory follows the players, not the history of room names.
 *
 * @example
 * ```ts
 * const rooms = new GameRooms({ boardSize: 6, moveIntervalMs: 100, maxRooms: 100 }, leaderboard);
 * rooms.join('lobby', 'user-1').room.play('user-1', 0, 0);
 * ```
 */
export class GameRooms {
  readonly #options: GameRoomsOptions;
  readonly #leaderboard: Leaderboard;
  readonly #rooms = new Map<string, GameRoom>();

  constructor(options: GameRoomsOptions, leaderboard: Leaderboard) {
    this.#options = options;
    this.#leaderboard = leaderboard;
  }

  /** Open rooms. */
  get size(): number {
    return this.#rooms.size;
  }

  /** An open room, or `undefined`. */
  get(name: string): GameRoom | undefined {
    return this.#rooms.get(name);
  }

  /**
   * Adds one connection of a player to a room, opening it if needed. `arrived` tells whether
   * the player was not present before (their first connection to it).
   *
   * @throws {@link GameError} `ROOM_LIMIT` when the room is closed and no more may open.
   */
  join(name: string, player: string): { readonly room: GameRoom; readonly arrived: boolean } {
    let room = this.#rooms.get(name);
    if (room === undefined) {
      if (this.#rooms.size >= this.#options.maxRooms) {
        throw new GameError({
          code: 'ROOM_LIMIT',
          message: `at most ${this.#options.maxRooms} rooms may be open`,
        });
      }
      room = new GameRoom(name, this.#options, this.#leaderboard);
      this.#rooms.set(name, room);
    }
    return { room, arrived: room.join(player) };
  }

  /** Removes one connection of a player; returns whether the player has left the room entirely. */
  leave(name: string, player: string): boolean {
    const room = this.#rooms.get(name);
    if (room === undefined) return false;
    const left = room.leave(player);
    if (room.empty) this.#rooms.delete(name);
    return left;
  }
}
