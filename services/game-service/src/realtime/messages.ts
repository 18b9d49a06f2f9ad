/**
 * The game's socket messages: what clients send (validated here, since anything can arrive on
 * a socket) and what the server emits. Auth events (`revoked`, `auth:refresh`) belong to the
 * verifier's socket.io adapter.
 */
import { z } from 'zod';
import type { GameErrorCode } from '../game/errors.js';
import type { MoveResult, RoomSnapshot, RoundResult } from '../game/room.js';

/** A room name: lower-case letters, digits and dashes, 1–32 characters. */
export const roomName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1–32 of a-z 0-9 -');

/** `room:join` / `room:leave` payload. */
export const roomRequest = z.object({ room: roomName }).strict();

/** `move` payload: claim cell (x, y) in a room the socket joined. */
export const moveRequest = z
  .object({ room: roomName, x: z.number().int().min(0), y: z.number().int().min(0) })
  .strict();

/** Acknowledgement of a refused action. */
export interface Refusal {
  readonly ok: false;
  readonly code: GameErrorCode;
  readonly message: string;
}

/** Acknowledgement of `room:join`. */
export type JoinAck = { readonly ok: true; readonly room: RoomSnapshot } | Refusal;

/** Acknowledgement of `room:leave`. */
export type LeaveAck = { readonly ok: true } | Refusal;

/** Acknowledgement of `move`. */
export type MoveAck = { readonly ok: true; readonly move: MoveBroadcast } | Refusal;

/** `move`, broadcast to the room: the claimed cell and the scores after it. */
export type MoveBroadcast = Omit<MoveResult, 'roundOver'>;

/** `round:over`, broadcast to the room when the board fills up. */
export interface RoundOverBroadcast extends RoundResult {
  readonly room: string;
}

/** `player:joined` / `player:left`, broadcast to the room. */
export interface PresenceBroadcast {
  readonly room: string;
  readonly player: string;
}

/** Events the server emits, for a typed socket.io server and client. */
export interface ServerToClientEvents {
  move: (move: MoveBroadcast) => void;
  'round:over': (result: RoundOverBroadcast) => void;
  'player:joined': (presence: PresenceBroadcast) => void;
  'player:left': (presence: PresenceBroadcast) => void;
}

/** Events clients send, for a typed socket.io server and client. */
export interface ClientToServerEvents {
  'room:join': (request: unknown, ack: (reply: JoinAck) => void) => void;
  'room:leave': (request: unknown, ack: (reply: LeaveAck) => void) => void;
  move: (request: unknown, ack: (reply: MoveAck) => void) => void;
}
