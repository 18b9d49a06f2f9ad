/**
 * The Keycloak act (`pnpm demo --keycloak`): a user of the demo's Keycloak realm plays with a
 * Keycloak access token, over HTTP and socket.io, on both game instances.
 *
 * 1. dana logs out in Keycloak → Keycloak's back-channel logout reaches the gateway → Kafka →
 *    both sockets are cut and HTTP answers 401;
 * 2. dana logs in again, an admin resets her password in Keycloak → Keycloak's SSF push
 *    (CAEP credential-change) → the gateway → Kafka → cut and 401 again.
 *
 * Times run from the start of the Keycloak call: Keycloak sends back-channel logouts while it
 * handles the logout, before it answers; SSF pushes wait for its outbox drainer's next tick.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { logoutSession, passwordLogin, resetPassword } from '@revocation-fabric/keycloak-local';
import type { KeycloakPeer } from './keycloak-peer.js';
import { PlaySteps } from './play-steps.js';
import type { Report } from './report.js';
import type { Stack } from './stack.js';

/**
 * Runs the act, recording every expectation and timing in `report`. Resolves even when
 * expectations fail; rejects only on a broken stack or Keycloak.
 *
 * @example
 * ```ts
 * const peer = await startKeycloakPeer({ log });
 * const stack = await startStack({ mode: 'short', log, keycloak: peer });
 * await runKeycloakAct(stack, peer, report);
 * ```
 */
export async function runKeycloakAct(stack: Stack, peer: KeycloakPeer, report: Report) {
  const run = randomBytes(3).toString('hex');
  const steps = new PlaySteps(report, stack.games, `keycloak-${run}`);
  const instances = stack.games.map((g) => g.name).join(' and ');
  try {
    report.step(
      `dana logs in with Keycloak (realm ${peer.realm}, password grant) and plays on ${instances} with its access token`,
    );
    const dana = await peer.addUser(`dana-${run}`);
    const first = await passwordLogin(peer.url, peer.realm, peer.client, dana);
    const firstSockets = await steps.connectAll('dana', first.accessToken);
    for (const connection of firstSockets) await steps.play(connection, 'plays');
    await steps.meEverywhere(first.accessToken, 200);

    report.step('dana logs out in Keycloak: back-channel logout → gateway → Kafka → both games');
    const logoutAt = performance.now();
    await logoutSession(peer.url, peer.realm, peer.client, first.refreshToken);
    await steps.expectCut(
      'dana',
      firstSockets,
      'keycloak logout',
      'Keycloak logout call',
      logoutAt,
      {
        kind: 'session',
        reason: 'logout',
      },
    );
    await steps.meEverywhere(first.accessToken, 401);

    report.step(
      'dana logs in again; an admin resets her password in Keycloak: SSF push (CAEP credential-change) → gateway → Kafka',
    );
    const second = await passwordLogin(peer.url, peer.realm, peer.client, dana);
    const secondSockets = await steps.connectAll('dana', second.accessToken);
    for (const connection of secondSockets) await steps.play(connection, 'plays again');
    await steps.meEverywhere(second.accessToken, 200);
    const resetAt = performance.now();
    await resetPassword(peer.admin, peer.realm, dana.id, randomBytes(12).toString('base64url'));
    await steps.expectCut(
      'dana',
      secondSockets,
      'keycloak password reset',
      'Keycloak password-reset call',
      resetAt,
      { kind: 'subject', reason: 'password-change' },
    );
    await steps.meEverywhere(second.accessToken, 401);
  } finally {
    steps.closeAll();
  }
}
