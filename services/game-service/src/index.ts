export { createGameService, GAME_NAMESPACE } from './service.js';
export type { GameService, GameServiceOptions } from './service.js';

export { ConfigError, loadConfig } from './config.js';
export type { Environment, GameServiceConfig } from './config.js';

export { GameMetrics } from './metrics.js';
export { GAME_HTTP_STATUS, GameError } from './game/errors.js';
export type { GameErrorCode, GameErrorOptions } from './game/errors.js';
export type { BoardSnapshot, Cell } from './game/board.js';
export type { LeaderboardEntry } from './game/leaderboard.js';
export type { MoveResult, RoomSnapshot, RoundResult } from './game/room.js';
export type {
  ClientToServerEvents,
  JoinAck,
  LeaveAck,
  MoveAck,
  MoveBroadcast,
  PresenceBroadcast,
  Refusal,
  RoundOverBroadcast,
  ServerToClientEvents,
} from './realtime/messages.js';
