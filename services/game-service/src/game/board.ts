import { GameError } from './errors.js';

/** A cell: `null` while free, else the id (`sub`) of the player who claimed it. */
export type Cell = string | null;

/** A board as clients see it: rows of cells. */
export interface BoardSnapshot {
  readonly size: number;
  readonly cells: readonly (readonly Cell[])[];
}

/**
 * The territory board: a square of cells that players claim one at a time. A player's score is
 * the number of cells they hold; the round ends when no cell is free.
 *
 * @example
 * ```ts
 * const board = new Board(6);
 * board.claim(2, 3, 'user-1');
 * board.scores(); // Map { 'user-1' => 1 }
 * ```
 */
export class Board {
  readonly size: number;
  readonly #cells: Cell[];
  #free: number;

  /** @param size - cells per side, 2 to 32. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2 || size > 32) {
      throw new TypeError(`size must be an integer from 2 to 32, got ${String(size)}`);
    }
    this.size = size;
    this.#cells = new Array<Cell>(size * size).fill(null);
    this.#free = size * size;
  }

  /** No free cell left: the round is over. */
  get full(): boolean {
    return this.#free === 0;
  }

  /**
   * Claims a free cell for a player.
   *
   * @throws {@link GameError} `OUT_OF_BOUNDS` or `CELL_TAKEN`.
   */
  claim(x: number, y: number, player: string): void {
    if (
      !Number.isInteger(x) ||
      !Number.isInteger(y) ||
      x < 0 ||
      y < 0 ||
      x >= this.size ||
      y >= this.size
    ) {
      throw new GameError({
        code: 'OUT_OF_BOUNDS',
        message: `(${x}, ${y}) is outside the ${this.size}×${this.size} board`,
      });
    }
    const index = y * this.size + x;
    if (this.#cells[index] !== null)
      throw new GameError({ code: 'CELL_TAKEN', message: `(${x}, ${y}) is taken` });
    this.#cells[index] = player;
    this.#free -= 1;
  }

  /** Cells held per player. */
  scores(): Map<string, number> {
    const scores = new Map<string, number>();
    for (const cell of this.#cells)
      if (cell !== null) scores.set(cell, (scores.get(cell) ?? 0) + 1);
    return scores;
  }

  snapshot(): BoardSnapshot {
    const cells: Cell[][] = [];
    for (let y = 0; y < this.size; y += 1)
      cells.push(this.#cells.slice(y * this.size, (y + 1) * this.size));
    return { size: this.size, cells };
  }
}
