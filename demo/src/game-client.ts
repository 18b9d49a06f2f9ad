/**
 * A player's connection to one game-service instance, with the real socket.io-client: the
 * handshake carries the access token, `revoked` and the disconnect are timed, and the local
 * copy of the board lets the player pick a free cell.
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type {
  BoardSnapshot,
  JoinAck,
  MoveAck,
  MoveBroadcast,
  RoundOverBroadcast,
} from '@revocation-fabric/game-service';
import type {
  RefreshAck,
  RevokedPayload,
  SocketAuthErrorData,
} from '@revocation-fabric/verifier/socket.io';

/** How a socket ended, seen from the client. */
export interface SocketEnd {
  /** The `revoked` payload received before the disconnect, if any. */
  readonly revoked: RevokedPayload | undefined;
  /** socket.io's disconnect reason (`io server disconnect` when the server cut it). */
  readonly reason: string;
  /** `performance.now()` at the disconnect. */
  readonly at: number;
}

interface ServerEvents {
  revoked: (payload: RevokedPayload) => void;
  move: (move: MoveBroadcast) => void;
  'round:over': (result: RoundOverBroadcast) => void;
}

interface ClientEvents {
  'room:join': (request: { room: string }, ack: (reply: JoinAck) => void) => void;
  move: (request: { room: string; x: number; y: number }, ack: (reply: MoveAck) => void) => void;
  'auth:refresh': (request: { token: string }, ack: (reply: RefreshAck) => void) => void;
}

const ACK_TIMEOUT_MS = 5_000;

/** One socket of one player to one game instance. */
export class GameConnection {
  readonly #socket: Socket<ServerEvents, ClientEvents>;
  readonly ended: Promise<SocketEnd>;
  #revoked: RevokedPayload | undefined;
  #board: (string | null)[][] = [];

  private constructor(
    readonly player: string,
    readonly instance: string,
    socket: Socket<ServerEvents, ClientEvents>,
  ) {
    this.#socket = socket;
    socket.on('revoked', (payload) => {
      this.#revoked = payload;
    });
    socket.on('move', (move) => {
      const row = this.#board[move.y];
      if (row !== undefined) row[move.x] = move.player;
    });
    socket.on('round:over', () => {
      this.#board = this.#board.map((row) => row.map(() => null));
    });
    this.ended = new Promise((resolve) => {
      socket.once('disconnect', (reason) => {
        resolve({ revoked: this.#revoked, reason, at: performance.now() });
      });
    });
  }

  /**
   * Opens a socket to `<url>/game` with the token in `auth.token`.
   *
   * @throws Error whose message is the `connect_error` code when the handshake is refused.
   */
  static async connect(
    player: string,
    instance: string,
    url: string,
    accessToken: string,
  ): Promise<GameConnection> {
    const socket: Socket<ServerEvents, ClientEvents> = io(`${url}/game`, {
      auth: { token: accessToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 10_000,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', (error: Error & { data?: SocketAuthErrorData }) => {
        socket.close();
        reject(new Error(error.data?.code ?? error.message));
      });
    });
    return new GameConnection(player, instance, socket);
  }

  get connected(): boolean {
    return this.#socket.connected;
  }

  async join(room: string): Promise<JoinAck> {
    const ack = (await this.#socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('room:join', { room })) as JoinAck;
    if (ack.ok) this.#board = ack.room.board.cells.map((row) => [...row]);
    return ack;
  }

  /** Claims a free cell of the room (the first one this client knows to be free). */
  async play(room: string): Promise<MoveAck> {
    const cell = freeCell({ size: this.#board.length, cells: this.#board });
    const ack = (await this.#socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('move', { room, x: cell?.x ?? 0, y: cell?.y ?? 0 })) as MoveAck;
    return ack;
  }

  async refresh(accessToken: string): Promise<RefreshAck> {
    return (await this.#socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck('auth:refresh', { token: accessToken })) as RefreshAck;
  }

  /** The socket's end, or `undefined` if it is still connected after `timeoutMs`. */
  async endedWithin(timeoutMs: number): Promise<SocketEnd | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.#socket.close();
  }
}

function freeCell(board: BoardSnapshot): { x: number; y: number } | undefined {
  for (let y = 0; y < board.size; y += 1) {
    const row = board.cells[y] ?? [];
    for (let x = 0; x < row.length; x += 1) if (row[x] === null) return { x, y };
  }
  return undefined;
}
