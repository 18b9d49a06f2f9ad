/**
 * Why a move or a join was refused. Stable codes a client can switch on; they travel in socket
 * acknowledgements (`{ ok: false, code }`) and HTTP bodies (`{ error: code }`).
 */
export type GameErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_IN_ROOM'
  | 'OUT_OF_BOUNDS'
  | 'CELL_TAKEN'
  | 'TOO_FAST'
  | 'ROOM_LIMIT'
  | 'NOT_FOUND';

/**
 * HTTP status of each code, in one table the compiler checks.
 *
 * @example
 * ```ts
 * res.status(GAME_HTTP_STATUS[error.code]).json({ error: error.code });
 * ```
 */
export const GAME_HTTP_STATUS: Readonly<Record<GameErrorCode, number>> = Object.freeze({
  BAD_REQUEST: 400,
  NOT_IN_ROOM: 409,
  OUT_OF_BOUNDS: 400,
  CELL_TAKEN: 409,
  TOO_FAST: 429,
  ROOM_LIMIT: 503,
  NOT_FOUND: 404,
});

/** A refused game action. */
export class GameError extends Error {
  constructor(
    /** Stable machine-readable code. */
    readonly code: GameErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GameError';
  }
}
