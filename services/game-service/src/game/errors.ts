/**
 * The game-service's error vocabulary: stable UPPER_SNAKE_CASE codes a client can switch on.
 * They travel in socket acknowledgements (`{ ok: false, code, message }`) and in HTTP answers as
 * protocol's one error body (`{ error: { code, message, requestId } }`); the verifier's express
 * adapter answers the token codes (`TOKEN_REVOKED`, `NOT_READY`, …) in the same body.
 */
import type { CodedErrorOptions } from '@revocation-fabric/protocol';
import { HttpError } from '@revocation-fabric/service-runtime';
import type { ShellErrorCode } from '@revocation-fabric/service-runtime';

/** Every code the game-service itself answers with. */
export type GameErrorCode =
  ShellErrorCode | 'NOT_IN_ROOM' | 'OUT_OF_BOUNDS' | 'CELL_TAKEN' | 'TOO_FAST' | 'ROOM_LIMIT';

/**
 * HTTP status of each code, in one table the compiler checks.
 *
 * @example
 * ```ts
 * res.status(GAME_HTTP_STATUS[error.code]).json(errorBody(error.code, error.message));
 * ```
 */
export const GAME_HTTP_STATUS: Readonly<Record<GameErrorCode, number>> = Object.freeze({
  INVALID_REQUEST: 400,
  NOT_IN_ROOM: 409,
  OUT_OF_BOUNDS: 400,
  CELL_TAKEN: 409,
  TOO_FAST: 429,
  ROOM_LIMIT: 503,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
});

/** Every code, in table order: the OpenAPI document's enum. */
export const GAME_ERROR_CODES = Object.freeze(Object.keys(GAME_HTTP_STATUS)) as readonly [
  GameErrorCode,
  ...GameErrorCode[],
];

/** The message of an error thrown without one. */
const DEFAULT_MESSAGE: Readonly<Record<GameErrorCode, string>> = {
  INVALID_REQUEST: 'invalid request',
  NOT_IN_ROOM: 'join the room first',
  OUT_OF_BOUNDS: 'the cell is off the board',
  CELL_TAKEN: 'the cell is taken',
  TOO_FAST: 'too many moves; slow down',
  ROOM_LIMIT: 'no more rooms may be open',
  NOT_FOUND: 'no such resource',
  METHOD_NOT_ALLOWED: 'method not allowed on this resource',
  PAYLOAD_TOO_LARGE: 'the body is larger than the limit',
  UNSUPPORTED_MEDIA_TYPE: 'unsupported media type',
  INTERNAL_ERROR: 'internal error',
};

/** Options of {@link GameError}. */
export interface GameErrorOptions extends CodedErrorOptions {
  /** What was refused; decides the HTTP status through {@link GAME_HTTP_STATUS}. */
  readonly code: GameErrorCode;
  /** Shown to the player verbatim. Default: a generic line per code. */
  readonly message?: string | undefined;
}

/**
 * A refused game action or request.
 *
 * @example
 * ```ts
 * throw new GameError({ code: 'CELL_TAKEN', message: '(2, 3) is taken' });
 * ```
 */
export class GameError extends HttpError<GameErrorCode> {
  constructor(options: GameErrorOptions) {
    super({
      ...options,
      status: GAME_HTTP_STATUS[options.code],
      message: options.message ?? DEFAULT_MESSAGE[options.code],
    });
  }
}
