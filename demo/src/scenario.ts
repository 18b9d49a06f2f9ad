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
import { CUT_TIMEOUT_MS, PlaySteps } from './play-steps.js';
import type { Report } from './report.js';
import type { Stack, StackService } from './stack.js';
import { DEMO_ADMIN } from './stack.js';
import { UserApi, expiryOf, subjectOf } from './user-api.js';
import type { TokenPair } from './user-api.js';

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
  const steps = new PlaySteps(report, games, room);

  try {
    report.step(
      `carol signs in and connects to ${games.map((g) => g.name).join(' and ')}, plus a spare socket she will never refresh`,
    );
    const carol = await signUp(api, 'carol', run);
    const carolFirstExp = expiryOf(carol.tokens.accessToken);
    const carolSockets = await steps.connectAll(carol.name, carol.tokens.accessToken);
    const firstGame = games[0] as StackService;
    const spare = await steps.connect(
      'carol',
      firstGame,
      carol.tokens.accessToken,
      `${firstGame.name} (spare)`,
    );
    for (const connection of carolSockets) await steps.play(connection, 'plays');

    report.step('alice signs in, plays on both instances, then logs out');
    const alice = await signUp(api, 'alice', run);
    const aliceSockets = await steps.connectAll(alice.name, alice.tokens.accessToken);
    for (const connection of aliceSockets) await steps.play(connection, 'plays');
    await steps.meEverywhere(alice.tokens.accessToken, 200);
    // The answer waits for the receipt (every live verifier applied it): cuts are timed from
    // the request, which the answer may follow.
    const loggedOutAt = performance.now();
    steps.receipt("alice's logout", await api.logoutWithReceipt(alice.tokens.accessToken));
    await steps.expectCut(alice.name, aliceSockets, 'logout', 'logout request', loggedOutAt, {
      kind: 'session',
      reason: 'logout',
    });
    await steps.meEverywhere(alice.tokens.accessToken, 401);

    report.step('bob signs in and plays on both instances; an admin bans him');
    const admin = await api.login(DEMO_ADMIN.username, DEMO_ADMIN.password);
    const bob = await signUp(api, 'bob', run);
    const bobSockets = await steps.connectAll(bob.name, bob.tokens.accessToken);
    for (const connection of bobSockets) await steps.play(connection, 'plays');
    await steps.meEverywhere(bob.tokens.accessToken, 200);
    const bannedAt = performance.now();
    steps.receipt(
      "bob's ban",
      await api.banWithReceipt(admin.accessToken, subjectOf(bob.tokens.accessToken)),
    );
    await steps.expectCut(bob.name, bobSockets, 'ban', 'ban request', bannedAt, {
      kind: 'subject',
      reason: 'ban',
    });
    await steps.meEverywhere(bob.tokens.accessToken, 401);

    report.step(
      'carol was not touched by either revocation; she refreshes in-band and keeps playing',
    );
    steps.stillConnected(carol.name, [...carolSockets, spare], "alice's logout and bob's ban");
    // Read from the token, not from how the stack was started: a user-service found running (a
    // compose stack with ACCESS_TOKEN_TTL_SECONDS=10) may issue short tokens as well.
    const waitForExpiry = carolFirstExp * 1000 - Date.now() <= 60_000;
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
    steps.stillConnected(carol.name, carolSockets, "her first token's exp");
    for (const connection of carolSockets) await steps.play(connection, 'keeps playing');
    await steps.meEverywhere(carol.tokens.accessToken, 200);
  } finally {
    steps.closeAll();
  }
}
