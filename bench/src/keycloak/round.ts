/**
 * One measured round of B6: a fresh user logs in, opens a socket to a game-service, the
 * revocation call of its path is sent, and the cut is timed from the call being sent.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { GameConnection } from '@revocation-fabric/demo';
import type { KeycloakPeer, Stack, StackService, UserApi } from '@revocation-fabric/demo';
import { logoutSession, passwordLogin, resetPassword } from '@revocation-fabric/keycloak-local';

/** A revocation path. */
export type B6Path =
  'keycloak-backchannel' | 'keycloak-ssf-push' | 'user-service' | 'keycloak-ssf-poll';

/** Longest wait for a cut; SSF push waits up to one drainer tick (1 s) plus the path. */
const CUT_TIMEOUT_MS = 10_000;

/** One round's figures, ms; `cutMs` undefined when the socket was not cut as expected. */
export interface Sample {
  readonly cutMs: number | undefined;
  readonly callMs: number;
}

/**
 * Connects a socket with `token`, runs `revoke`, and times the cut; a cut without `revoked`
 * of the expected kind counts as missing.
 */
async function timeCut(
  game: StackService,
  token: string,
  expectedKind: string,
  revoke: () => Promise<void>,
): Promise<Sample> {
  const connection = await GameConnection.connect('bench', game.name, game.url, token);
  try {
    const sent = performance.now();
    await revoke();
    const callMs = performance.now() - sent;
    const end = await connection.endedWithin(CUT_TIMEOUT_MS);
    const ok = end?.revoked?.code === 'TOKEN_REVOKED' && end.revoked.kind === expectedKind;
    return { cutMs: ok && end !== undefined ? end.at - sent : undefined, callMs };
  } finally {
    connection.close();
  }
}

export async function round(
  path: B6Path,
  stack: Stack,
  peer: KeycloakPeer,
  api: UserApi,
  name: string,
): Promise<Sample> {
  const game = stack.games[0] as StackService;
  if (path === 'user-service') {
    await api.register(name, 'correct-horse-battery');
    const tokens = await api.login(name, 'correct-horse-battery');
    return timeCut(game, tokens.accessToken, 'session', () => api.logout(tokens.accessToken));
  }
  const user = await peer.addUser(name);
  const tokens = await passwordLogin(peer.url, peer.realm, peer.client, user);
  if (path === 'keycloak-backchannel') {
    return timeCut(game, tokens.accessToken, 'session', () =>
      logoutSession(peer.url, peer.realm, peer.client, tokens.refreshToken),
    );
  }
  return timeCut(game, tokens.accessToken, 'subject', () =>
    resetPassword(peer.admin, peer.realm, user.id, randomBytes(12).toString('base64url')),
  );
}

/** What starts the clock, per path. */
export const CALLS: Record<B6Path, string> = {
  'keycloak-backchannel': 'Keycloak user logout (refresh token)',
  'keycloak-ssf-push': 'Keycloak admin password reset',
  'user-service': 'user-service POST /auth/logout',
  'keycloak-ssf-poll': 'Keycloak admin password reset',
};
