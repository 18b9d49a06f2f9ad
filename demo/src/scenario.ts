/**
 * The scripted scenario, as real clients: HTTP to the user-service, socket.io-client and HTTP
 * to both game-service instances.
 *
 * 1. carol connects first (her token's clock starts now) and keeps a spare socket she never
 *    refreshes;
 * 2. alice plays on both instances, logs out: both sockets get `revoked` and drop, HTTP says 401;
 * 3. bob plays on both instances, an admin bans him: same;
 * 4. carol was left alone by both; she refreshes in-band on both sockets and keeps playing past
 *    her first token's `exp`, while the spare socket is cut at that `exp`.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GameConnection } from './game-client.js';
import type { SocketEnd } from './game-client.js';
import type { Report } from './report.js';
import type { Stack, StackService } from './stack.js';
import { DEMO_ADMIN } from './stack.js';
import { UserApi, errorCodeOf, expiryOf, gameMe, subjectOf } from './user-api.js';
import type { TokenPair } from './user-api.js';

/** Longest wait for a socket to be cut after a revocation; a healthy stack takes milliseconds. */
const CUT_TIMEOUT_MS = 10_000;
/** Beyond the first token's `exp`, how long carol keeps playing to prove the refresh. */
const PAST_EXPIRY_MS = 1_500;
/** How long before her first token's `exp` carol refreshes. */
const REFRESH_BEFORE_EXP_MS = 3_000;

const PASSWORD = 'correct-horse-battery';

interface Player {
  readonly name: string;
  readonly username: string;
  tokens: TokenPair;
}

async function signUp(api: UserApi, name: string, run: string): Promise<Player> {
  const username = `${name}-${run}`;
  await api.register(username, PASSWORD);
  return { name, username, tokens: await api.login(username, PASSWORD) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/**
 * Runs the scenario, recording every expectation and timing in `report`. Resolves even when
 * expectations fail; rejects only on a broken stack.
 */
export async function runScenario(stack: Stack, report: Report): Promise<void> {
  const api = new UserApi(stack.userService.url);
  const run = randomBytes(3).toString('hex');
  const room = `demo-${run}`;
  const games = stack.games;
  const open: GameConnection[] = [];

  async function connectAll(player: Player, token: string): Promise<GameConnection[]> {
    const connections: GameConnection[] = [];
    for (const game of games) {
      const connection = await GameConnection.connect(player.name, game.name, game.url, token);
      open.push(connection);
      connections.push(connection);
    }
    return connections;
  }

  async function play(connection: GameConnection, what: string): Promise<void> {
    const joined = await connection.join(room);
    const move = joined.ok ? await connection.play(room) : joined;
    report.expect(
      move.ok,
      move.ok
        ? `${connection.player} ${what} on ${connection.instance}: joined ${room}, claimed (${move.move.x}, ${move.move.y})`
        : `${connection.player} ${what} on ${connection.instance}: refused ${move.code} ${move.message}`,
    );
  }

  async function meEverywhere(player: Player, token: string, expected: number): Promise<void> {
    for (const game of games) {
      const { status, body } = await gameMe(game.url, token);
      const code = errorCodeOf(body);
      report.expect(
        status === expected,
        `GET ${game.name}/me → ${status}${code === undefined ? '' : ` ${code}`} (expected ${expected})`,
      );
    }
  }

  /** Waits for each socket's cut and checks it was the expected revocation. */
  async function expectCut(
    player: Player,
    connections: readonly GameConnection[],
    cause: string,
    since: number,
    expected: { kind: string; reason: string },
  ): Promise<void> {
    const ends = await Promise.all(connections.map((c) => c.endedWithin(CUT_TIMEOUT_MS)));
    connections.forEach((connection, i) => {
      const end: SocketEnd | undefined = ends[i];
      if (end === undefined) {
        report.expect(
          false,
          `${player.name}'s socket on ${connection.instance} still connected after ${CUT_TIMEOUT_MS} ms`,
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
      report.expect(
        ok,
        `${player.name}'s socket on ${connection.instance} got revoked ${JSON.stringify(revoked)} and dropped (${end.reason}) ${ms.toFixed(1)} ms after the ${cause} response`,
      );
      if (ok) report.time({ player: player.name, cause, instance: connection.instance, ms });
    });
  }

  function stillConnected(player: Player, connections: readonly GameConnection[], after: string) {
    for (const connection of connections) {
      report.expect(
        connection.connected,
        `${player.name}'s socket on ${connection.instance} is still connected after ${after}`,
      );
    }
  }

  try {
    report.step(
      `carol signs in and connects to ${games.map((g) => g.name).join(' and ')}, plus a spare socket she will never refresh`,
    );
    const carol = await signUp(api, 'carol', run);
    const carolFirstExp = expiryOf(carol.tokens.accessToken);
    const carolSockets = await connectAll(carol, carol.tokens.accessToken);
    const firstGame = games[0] as StackService;
    const spare = await GameConnection.connect(
      'carol',
      `${firstGame.name} (spare)`,
      firstGame.url,
      carol.tokens.accessToken,
    );
    open.push(spare);
    for (const connection of carolSockets) await play(connection, 'plays');

    report.step('alice signs in, plays on both instances, then logs out');
    const alice = await signUp(api, 'alice', run);
    const aliceSockets = await connectAll(alice, alice.tokens.accessToken);
    for (const connection of aliceSockets) await play(connection, 'plays');
    await meEverywhere(alice, alice.tokens.accessToken, 200);
    await api.logout(alice.tokens.accessToken);
    const loggedOutAt = performance.now();
    await expectCut(alice, aliceSockets, 'logout', loggedOutAt, {
      kind: 'session',
      reason: 'logout',
    });
    await meEverywhere(alice, alice.tokens.accessToken, 401);

    report.step('bob signs in and plays on both instances; an admin bans him');
    const admin = await api.login(DEMO_ADMIN.username, DEMO_ADMIN.password);
    const bob = await signUp(api, 'bob', run);
    const bobSockets = await connectAll(bob, bob.tokens.accessToken);
    for (const connection of bobSockets) await play(connection, 'plays');
    await meEverywhere(bob, bob.tokens.accessToken, 200);
    await api.ban(admin.accessToken, subjectOf(bob.tokens.accessToken));
    const bannedAt = performance.now();
    await expectCut(bob, bobSockets, 'ban', bannedAt, { kind: 'subject', reason: 'ban' });
    await meEverywhere(bob, bob.tokens.accessToken, 401);

    report.step(
      'carol was not touched by either revocation; she refreshes in-band and keeps playing',
    );
    stillConnected(carol, [...carolSockets, spare], "alice's logout and bob's ban");
    const ttl = stack.accessTokenTtlSeconds;
    const waitForExpiry = ttl !== undefined && carolFirstExp * 1000 - Date.now() <= 60_000;
    // A client refreshes shortly before `exp`; the new token must outlive the wait past the old one.
    if (waitForExpiry) await sleep(carolFirstExp * 1000 - REFRESH_BEFORE_EXP_MS - Date.now());
    carol.tokens = await api.refresh(carol.tokens.refreshToken);
    for (const connection of carolSockets) {
      const ack = await connection.refresh(carol.tokens.accessToken);
      report.expect(
        ack.ok,
        `carol's socket on ${connection.instance} accepted the fresh token in-band: ${JSON.stringify(ack)}`,
      );
    }
    if (!waitForExpiry) {
      report.note(
        "the user-service issues long-lived tokens: not waiting for carol's first token to expire",
      );
    } else {
      const untilExp = carolFirstExp * 1000 - Date.now();
      const end = await spare.endedWithin(untilExp + CUT_TIMEOUT_MS);
      const ok = end?.revoked?.code === 'TOKEN_EXPIRED' && end.reason === 'io server disconnect';
      const lateMs =
        end === undefined ? NaN : Date.now() - carolFirstExp * 1000 - (performance.now() - end.at);
      report.expect(
        ok,
        `the spare socket, never refreshed, got revoked ${JSON.stringify(end?.revoked)} and dropped at its token's exp (+${lateMs.toFixed(0)} ms)`,
      );
      if (ok)
        report.time({ player: 'carol', cause: 'expiry', instance: spare.instance, ms: lateMs });
      await sleep(carolFirstExp * 1000 + PAST_EXPIRY_MS - Date.now());
    }
    stillConnected(carol, carolSockets, "her first token's exp");
    for (const connection of carolSockets) await play(connection, 'keeps playing');
    await meEverywhere(carol, carol.tokens.accessToken, 200);
  } finally {
    for (const connection of open) connection.close();
  }
}
