/**
 * What every act of the demo does with a player, as real clients: connect a socket to each
 * game instance, play a move, ask `GET /me`, and wait for a revocation to cut the sockets. Each
 * outcome is an expectation of the report.
 */
import { GameConnection } from './game-client.js';
import type { SocketEnd } from './game-client.js';
import type { Report } from './report.js';
import type { Receipt } from './user-api.js';
import type { StackService } from './stack.js';
import { errorCodeOf, gameMe } from './user-api.js';

/** Longest wait for a socket to be cut after a revocation; a healthy stack takes milliseconds. */
export const CUT_TIMEOUT_MS = 10_000;

/** The `revoked` payload a cut must carry. */
export interface ExpectedRevocation {
  readonly kind: string;
  readonly reason: string;
}

/**
 * One act's table: the instances, a room, and every socket opened (closed at the end).
 *
 * @example
 * ```ts
 * const steps = new PlaySteps(report, stack.games, 'demo-room');
 * const sockets = await steps.connectAll('alice', accessToken);
 * for (const socket of sockets) await steps.play(socket, 'plays');
 * steps.closeAll();
 * ```
 */
export class PlaySteps {
  readonly #open: GameConnection[] = [];

  constructor(
    private readonly report: Report,
    readonly games: readonly StackService[],
    readonly room: string,
  ) {}

  /** Opens a socket to every instance with `token`. */
  async connectAll(player: string, token: string): Promise<GameConnection[]> {
    const connections: GameConnection[] = [];
    for (const game of this.games) connections.push(await this.connect(player, game, token));
    return connections;
  }

  /** Opens one socket (`label` names it in the report, e.g. `game-1 (spare)`). */
  async connect(
    player: string,
    game: StackService,
    token: string,
    label = game.name,
  ): Promise<GameConnection> {
    const connection = await GameConnection.connect(player, label, game.url, token);
    this.#open.push(connection);
    return connection;
  }

  /** Joins the room and claims a cell: one expectation. */
  async play(connection: GameConnection, what: string): Promise<void> {
    const joined = await connection.join(this.room);
    const move = joined.ok ? await connection.play(this.room) : joined;
    this.report.expect(
      move.ok,
      move.ok
        ? `${connection.player} ${what} on ${connection.instance}: joined ${this.room}, claimed (${move.move.x}, ${move.move.y})`
        : `${connection.player} ${what} on ${connection.instance}: refused ${move.code} ${move.message}`,
    );
  }

  /** `GET /me` on every instance must answer `expected`. */
  async meEverywhere(token: string, expected: number): Promise<void> {
    for (const game of this.games) {
      const { status, body } = await gameMe(game.url, token);
      const code = errorCodeOf(body);
      this.report.expect(
        status === expected,
        `GET ${game.name}/me → ${status}${code === undefined ? '' : ` ${code}`} (expected ${expected})`,
      );
    }
  }

  /**
   * Waits for each socket's cut and checks it was the expected revocation; the time from
   * `since` (`performance.now()` at `from`) goes to the report's table as `cause`.
   */
  /**
   * The receipt of a revocation: applied by every live verifier (both game instances and the
   * user-service's key watch, which reads the topic too), named by client id.
   */
  receipt(what: string, receipt: Receipt): void {
    const names = new Map<string, number>();
    for (const verifier of [...receipt.applied, ...receipt.pending])
      names.set(verifier.clientId, (names.get(verifier.clientId) ?? 0) + 1);
    const who = [...names].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
    const late = receipt.pending.map((v) => `${v.clientId} (${v.host}, ${v.behind} behind)`);
    this.report.expect(
      receipt.complete && receipt.of >= 2,
      receipt.complete
        ? `${what} applied by ${receipt.applied.length} of ${receipt.of} verifiers in ${receipt.ms.toFixed(0)} ms (${who})`
        : `${what} applied by ${receipt.applied.length} of ${receipt.of} verifiers; not yet: ${late.join(', ')} (${receipt.state})`,
    );
  }

  async expectCut(
    player: string,
    connections: readonly GameConnection[],
    cause: string,
    from: string,
    since: number,
    expected: ExpectedRevocation,
  ): Promise<void> {
    const ends = await Promise.all(connections.map((c) => c.endedWithin(CUT_TIMEOUT_MS)));
    connections.forEach((connection, i) => {
      const end: SocketEnd | undefined = ends[i];
      if (end === undefined) {
        this.report.expect(
          false,
          `${player}'s socket on ${connection.instance} still connected after ${CUT_TIMEOUT_MS} ms`,
        );
        return;
      }
      const revoked = end.revoked;
      const ok =
        revoked?.code === 'TOKEN_REVOKED' &&
        revoked.kind === expected.kind &&
        revoked.reason === expected.reason &&
        end.reason === 'io server disconnect';
      const ms = end.at - since;
      this.report.expect(
        ok,
        `${player}'s socket on ${connection.instance} got revoked ${JSON.stringify(revoked)} and dropped (${end.reason}) ${ms.toFixed(1)} ms after the ${from}`,
      );
      if (ok) this.report.time({ player, cause, instance: connection.instance, ms });
    });
  }

  /** Each socket must still be connected. */
  stillConnected(player: string, connections: readonly GameConnection[], after: string): void {
    for (const connection of connections) {
      this.report.expect(
        connection.connected,
        `${player}'s socket on ${connection.instance} is still connected after ${after}`,
      );
    }
  }

  /** Closes every socket this act opened. */
  closeAll(): void {
    for (const connection of this.#open.splice(0)) connection.close();
  }
}
