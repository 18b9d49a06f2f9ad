/**
 * The demo's identity provider: a real Keycloak (the one `KEYCLOAK_URL` names, else a local
 * start-dev instance started here), with a realm of its own holding the game's relying-party
 * client (its back-channel logout URL is the gateway's) and the gateway's SSF receiver client.
 */
import { randomBytes } from 'node:crypto';
import {
  configureSsfReceiver,
  connectAdmin,
  createClient,
  createRealm,
  createUser,
  deleteRealm,
} from '@revocation-fabric/keycloak-local';
import type { KeycloakAdmin, RealmClient } from '@revocation-fabric/keycloak-local';
import { getKeycloak } from '@revocation-fabric/testkit';
import type { KeycloakSource } from '@revocation-fabric/testkit';
import { freePort } from './free-port.js';

/** The gateway's name for the provider: the `:provider` of its endpoints. */
export const PROVIDER_NAME = 'keycloak';
/** Client id of the game (the relying party): access tokens' `aud`, logout tokens' `aud`. */
export const GAME_CLIENT_ID = 'game';
const RECEIVER_CLIENT_ID = 'revocation-gateway';

/** Options of {@link startKeycloakPeer}. */
export interface KeycloakPeerOptions {
  /** Progress lines (a first local start takes a minute). */
  readonly log: (line: string) => void;
  /** Start a local Keycloak with both JIT compilers (benchmarks). Default: false. */
  readonly fullJit?: boolean;
  /**
   * How the gateway gets Keycloak's SETs: pushed to it (RFC 8935) or polled by it (RFC 8936,
   * every `pollIntervalMs`). Default: push.
   */
  readonly ssfDelivery?: 'push' | 'poll';
  /** The gateway's poll interval, ms. Default: the gateway's (1000). */
  readonly pollIntervalMs?: number;
}

/** A user of the demo realm, with its password. */
export interface PeerUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
}

/** Keycloak, configured for the demo, and where the gateway must listen. */
export interface KeycloakPeer {
  readonly url: string;
  readonly version: string;
  readonly source: KeycloakSource;
  readonly realm: string;
  /** The realm's issuer, `<url>/realms/<realm>`. */
  readonly issuer: string;
  readonly admin: KeycloakAdmin;
  /** The game's confidential client (password grant, audience mapper). */
  readonly client: RealmClient;
  /** The gateway's SSF receiver client. */
  readonly receiver: RealmClient;
  /** The port the gateway must listen on: the client's back-channel URL and push URL name it. */
  readonly gatewayPort: number;
  /** Environment that makes a game-service trust the realm as its second issuer. */
  readonly gameEnv: Readonly<Record<string, string>>;
  /** How the gateway gets SETs. */
  readonly ssfDelivery: 'push' | 'poll';
  /** Environment (`GATEWAY_PROVIDERS`) of the gateway: back-channel logout and SSF. */
  readonly gatewayEnv: Readonly<Record<string, string>>;
  /** Creates a user with a random password. */
  addUser(username: string): Promise<PeerUser>;
  /** Deletes the realm, and stops Keycloak if it was started here. */
  stop(): Promise<void>;
}

/**
 * Finds or starts Keycloak and creates the demo's realm.
 *
 * @example
 * ```ts
 * const peer = await startKeycloakPeer({ log: console.error });
 * try { ... } finally { await peer.stop(); }
 * ```
 */
export async function startKeycloakPeer(options: KeycloakPeerOptions): Promise<KeycloakPeer> {
  const { log } = options;
  const delivery = options.ssfDelivery ?? 'push';
  const started = Date.now();
  log('looking for Keycloak (KEYCLOAK_URL, else a local start-dev from Maven Central)');
  const keycloak = await getKeycloak({
    log: (line) => log(`keycloak: ${line}`),
    ...(options.fullJit === true ? { fullJit: true } : {}),
  });
  log(
    `Keycloak ${keycloak.version} at ${keycloak.url} (${keycloak.source}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const realm = `demo-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const issuer = `${keycloak.url}/realms/${realm}`;
  let admin: KeycloakAdmin | undefined;
  try {
    admin = await connectAdmin(keycloak);
    const gatewayPort = await freePort();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const pushUrl = `${gatewayUrl}/ssf/${PROVIDER_NAME}/events`;
    await createRealm(admin, { realm, accessTokenLifespanSeconds: 300 });
    const client = await createClient(admin, realm, {
      clientId: GAME_CLIENT_ID,
      backchannelLogoutUrl: `${gatewayUrl}/backchannel-logout/${PROVIDER_NAME}`,
    });
    const receiver = await configureSsfReceiver(admin, realm, {
      clientId: RECEIVER_CLIENT_ID,
      delivery: [delivery],
      ...(delivery === 'push' ? { pushUrls: [pushUrl] } : {}),
    });
    log(
      `realm ${realm}: client ${GAME_CLIENT_ID} (back-channel logout → ${gatewayUrl}), SSF ${delivery} receiver ${RECEIVER_CLIENT_ID}`,
    );
    const providers = [
      {
        name: PROVIDER_NAME,
        issuer,
        algorithms: ['RS256'],
        maxTokenLifetimeMs: 900_000,
        backchannelLogout: { clientId: GAME_CLIENT_ID },
        ssf: {
          delivery,
          ...(delivery === 'push' ? { pushUrl } : {}),
          ...(options.pollIntervalMs === undefined
            ? {}
            : { pollIntervalMs: options.pollIntervalMs }),
          clientId: receiver.clientId,
          clientSecret: receiver.secret,
        },
      },
    ];
    const realmAdmin = admin;
    let stopped: Promise<void> | undefined;
    return {
      url: keycloak.url,
      version: keycloak.version,
      source: keycloak.source,
      realm,
      issuer,
      admin,
      client,
      receiver,
      gatewayPort,
      ssfDelivery: delivery,
      gameEnv: {
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: GAME_CLIENT_ID,
        OIDC_JWKS_URL: `${issuer}/protocol/openid-connect/certs`,
        OIDC_ROLES_CLAIM: 'realm_access.roles',
      },
      gatewayEnv: { GATEWAY_PROVIDERS: JSON.stringify(providers) },
      async addUser(username) {
        const password = randomBytes(12).toString('base64url');
        const user = await createUser(realmAdmin, realm, { username, password });
        return { id: user.id, username, password };
      },
      stop: () =>
        (stopped ??= (async () => {
          await deleteRealm(realmAdmin, realm).catch((error: unknown) =>
            log(`could not delete realm ${realm}: ${(error as Error).message}`),
          );
          await keycloak.stop();
        })()),
    };
  } catch (error) {
    if (admin !== undefined) await deleteRealm(admin, realm).catch(() => undefined);
    await keycloak.stop();
    throw error;
  }
}
