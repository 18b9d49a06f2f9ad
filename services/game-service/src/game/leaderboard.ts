/** One player's record on this instance. */
export interface LeaderboardEntry {
  readonly player: string;
  /** Rounds won (most cells when the board filled up; ties share the win). */
  readonly wins: number;
  /** Cells claimed, over every round. */
  readonly cells: number;
  /** Rounds played to the end. */
  readonly rounds: number;
}

interface PlayerRecord {
  wins: number;
  cells: number;
  rounds: number;
}

/**
 * Totals per player across every room of this instance, kept in memory: the game is the
 * example around the verifier, not a store of record, so instances do not share it.
 *
 * @example
 * ```ts
 * leaderboard.recordCell('user-1');
 * leaderboard.recordRound(new Map([['user-1', 20], ['user-2', 16]]));
 * leaderboard.top(10);
 * ```
 */
export class Leaderboard {
  readonly #players = new Map<string, PlayerRecord>();

  #of(player: string): PlayerRecord {
    let record = this.#players.get(player);
    if (record === undefined) {
      record = { wins: 0, cells: 0, rounds: 0 };
      this.#players.set(player, record);
    }
    return record;
  }

  /** A player claimed a cell. */
  recordCell(player: string): void {
    this.#of(player).cells += 1;
  }

  /** A round ended with these scores; returns the winners (several on a tie). */
  recordRound(scores: ReadonlyMap<string, number>): string[] {
    let best = 0;
    for (const score of scores.values()) best = Math.max(best, score);
    const winners: string[] = [];
    for (const [player, score] of scores) {
      const record = this.#of(player);
      record.rounds += 1;
      if (score === best && best > 0) {
        record.wins += 1;
        winners.push(player);
      }
    }
    return winners.sort();
  }

  /** One player's record; zeros for a player never seen. */
  entry(player: string): LeaderboardEntry {
    const record = this.#players.get(player) ?? { wins: 0, cells: 0, rounds: 0 };
    return { player, ...record };
  }

  /** The best players: most wins, then most cells, then by id for a stable order. */
  top(limit: number): LeaderboardEntry[] {
    return [...this.#players]
      .map(([player, record]) => ({ player, ...record }))
      .sort((a, b) => b.wins - a.wins || b.cells - a.cells || a.player.localeCompare(b.player))
      .slice(0, limit);
  }
}
