import { randomBytes } from 'node:crypto';
import {
  connectAdmin,
  createClient,
  createRealm,
  createUser,
  deleteRealm,
  passwordLogin,
  type AdminLogin,
  type KeycloakAdmin,
  type RealmClient,
  type RealmUser,
  type UserTokens,
} from '@revocation-fabric/keycloak-local';

/** Options of {@link keycloakRealm}. */
export interface KeycloakRealmOptions {
  /** Start of the realm name; a time and random suffix is added. Default: `test`. */
  readonly prefix?: string;
  /** Client id of the relying party created in the realm. Default: `app`. */
  readonly clientId?: string;
  /** The relying party's back-channel logout URL, if Keycloak should call one. */
  readonly backchannelLogoutUrl?: string;
  /** Access token lifetime, in seconds. Default: 120. */
  readonly accessTokenLifespanSeconds?: number;
}

/** A user of a test realm with the password it logs in with. */
export interface TestUser extends RealmUser {
  readonly password: string;
}

/** A realm of its own for one test file: a relying-party client, users on demand. */
export interface TestRealm {
  /** The realm name. */
  readonly name: string;
  /** Its issuer: `<url>/realms/<name>` (the `iss` of its tokens). */
  readonly issuer: string;
  /** Its JWKS URL (`.../protocol/openid-connect/certs`). */
  readonly jwksUri: string;
  /** Base URL of the server. */
  readonly url: string;
  /** The admin session that created it. */
  readonly admin: KeycloakAdmin;
  /** The confidential relying-party client (password grant on, audience mapper on). */
  readonly client: RealmClient;
  /** Creates a user with a random password (`<prefix>-<n>` when no name is given). */
  addUser(username?: string): Promise<TestUser>;
  /** Logs a user in through the realm's client: a new session. */
  login(user: TestUser): Promise<UserTokens>;
  /** Deletes the realm. Safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Creates a realm no other test file uses on a shared Keycloak, with one relying-party client.
 * Test files share one Keycloak per run, so each works in realms of its own.
 *
 * @example
 * ```ts
 * const realm = await keycloakRealm(inject('keycloak'), { prefix: 'logout' });
 * const alice = await realm.addUser('alice');
 * const tokens = await realm.login(alice);
 * ```
 */
export async function keycloakRealm(
  keycloak: AdminLogin,
  options: KeycloakRealmOptions = {},
): Promise<TestRealm> {
  const prefix = options.prefix ?? 'test';
  if (!/^[a-z0-9-]{1,40}$/.test(prefix)) {
    throw new TypeError(
      `prefix must be 1-40 characters of [a-z0-9-], got ${JSON.stringify(prefix)}`,
    );
  }
  const name = `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const admin = await connectAdmin(keycloak);
  await createRealm(admin, {
    realm: name,
    ...(options.accessTokenLifespanSeconds === undefined
      ? {}
      : { accessTokenLifespanSeconds: options.accessTokenLifespanSeconds }),
  });
  const client = await createClient(admin, name, {
    clientId: options.clientId ?? 'app',
    ...(options.backchannelLogoutUrl === undefined
      ? {}
      : { backchannelLogoutUrl: options.backchannelLogoutUrl }),
  });
  const issuer = `${keycloak.url}/realms/${name}`;
  let users = 0;
  let removed: Promise<void> | undefined;
  return {
    name,
    issuer,
    jwksUri: `${issuer}/protocol/openid-connect/certs`,
    url: keycloak.url,
    admin,
    client,
    async addUser(username) {
      users += 1;
      const password = randomBytes(12).toString('base64url');
      const user = await createUser(admin, name, {
        username: username ?? `user-${users}`,
        password,
      });
      return { ...user, password };
    },
    login: (user) => passwordLogin(keycloak.url, name, client, user),
    remove: () => (removed ??= deleteRealm(admin, name)),
  };
}
