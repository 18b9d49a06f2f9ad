/**
 * The socket.io side of the game: join a room, claim cells, see everyone's moves and scores.
 * Authentication, revocation, expiry and in-band refresh are the verifier adapter's job; by
 * the time a handler runs, the socket's token was valid a moment ago and any revocation will
 * cut the socket the moment it lands.
 */
import type { Namespace, Socket } from 'socket.io';
import type { Logger } from 'pino';
import { socketToken } from '@revocation-fabric/verifier/socket.io';
import { GameError } from '../game/errors.js';
import type { GameRooms } from '../game/game-rooms.js';
import type { GameMetrics } from '../metrics.js';
import { moveRequest, roomRequest } from './messages.js';
import type { ClientToServerEvents, Refusal, ServerToClientEvents } from './messages.js';

/**
 * The game's namespace, typed. It keeps nothing in `socket.data`: the player's token is read
 * with `socketToken(socket)`, which refreshes keep current.
 */
export type GameNamespace = Namespace<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  Record<string, never>
>;
type GameSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  Record<string, never>
>;

/** What the game handlers need. */
export interface GameSocketDeps {
  readonly rooms: GameRooms;
  readonly metrics: GameMetrics;
  readonly logger: Logger;
}

/** Rooms one socket may be in at once, so one client cannot open every room. */
const MAX_ROOMS_PER_SOCKET = 4;

const channel = (room: string): string => `room:${room}`;

function refusal(error: unknown): Refusal {
  if (error instanceof GameError) return { ok: false, code: error.code, message: error.message };
  throw error;
}

function badRequest(message: string): Refusal {
  return { ok: false, code: 'INVALID_REQUEST', message };
}

/** Calls the client's acknowledgement if it sent one; a missing ack is the client's choice. */
function answer<T>(ack: unknown, reply: T): void {
  if (typeof ack === 'function') (ack as (value: T) => void)(reply);
}

/**
 * Serves the game on a namespace whose sockets `socketAuth` admitted.
 *
 * @example
 * ```ts
 * const game = io.of('/game');
 * game.use(socketAuth(verifier));
 * serveGame(game, { rooms, metrics, logger });
 * ```
 */
export function serveGame(namespace: GameNamespace, deps: GameSocketDeps): void {
  const { rooms, metrics, logger } = deps;

  namespace.on('connection', (socket: GameSocket) => {
    // The subject never changes on a socket: in-band refresh requires the same `sub`.
    const player = socketToken(socket).claims.sub;
    const joined = new Set<string>();

    socket.on('room:join', (request, ack) => {
      const parsed = roomRequest.safeParse(request);
      if (!parsed.success) return answer(ack, badRequest('expected { room }'));
      const { room: name } = parsed.data;
      if (!joined.has(name)) {
        if (joined.size >= MAX_ROOMS_PER_SOCKET) {
          return answer(ack, badRequest(`at most ${MAX_ROOMS_PER_SOCKET} rooms per socket`));
        }
        let arrived: boolean;
        try {
          arrived = rooms.join(name, player).arrived;
        } catch (error) {
          return answer(ack, refusal(error));
        }
        joined.add(name);
        void socket.join(channel(name));
        if (arrived) socket.to(channel(name)).emit('player:joined', { room: name, player });
      }
      const room = rooms.get(name);
      if (room !== undefined) answer(ack, { ok: true, room: room.snapshot() });
    });

    socket.on('room:leave', (request, ack) => {
      const parsed = roomRequest.safeParse(request);
      if (!parsed.success) return answer(ack, badRequest('expected { room }'));
      const { room } = parsed.data;
      if (joined.delete(room)) {
        void socket.leave(channel(room));
        if (rooms.leave(room, player))
          namespace.to(channel(room)).emit('player:left', { room, player });
      }
      answer(ack, { ok: true });
    });

    socket.on('move', (request, ack) => {
      const parsed = moveRequest.safeParse(request);
      if (!parsed.success) {
        metrics.moves.inc({ outcome: 'INVALID_REQUEST' });
        return answer(ack, badRequest('expected { room, x, y } with integer coordinates'));
      }
      const { room: name, x, y } = parsed.data;
      const room = joined.has(name) ? rooms.get(name) : undefined;
      if (room === undefined) {
        metrics.moves.inc({ outcome: 'NOT_IN_ROOM' });
        return answer(
          ack,
          refusal(new GameError({ code: 'NOT_IN_ROOM', message: `join ${name} first` })),
        );
      }
      let result;
      try {
        result = room.play(player, x, y);
      } catch (error) {
        const refused = refusal(error);
        metrics.moves.inc({ outcome: refused.code });
        return answer(ack, refused);
      }
      metrics.moves.inc({ outcome: 'ok' });
      const { roundOver, ...move } = result;
      namespace.to(channel(name)).emit('move', move);
      if (roundOver !== undefined) {
        metrics.rounds.inc();
        namespace.to(channel(name)).emit('round:over', { room: name, ...roundOver });
        logger.info({ room: name, ...roundOver }, 'round over');
      }
      answer(ack, { ok: true, move });
    });

    socket.on('disconnect', () => {
      for (const room of joined) {
        if (rooms.leave(room, player))
          namespace.to(channel(room)).emit('player:left', { room, player });
      }
      joined.clear();
    });
  });
}
