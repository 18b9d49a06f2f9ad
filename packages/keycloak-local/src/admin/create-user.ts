import type { KeycloakAdmin } from './connect-admin.js';
import { createdId } from './created-id.js';

/** A user to create. */
export interface UserSpec {
  readonly username: string;
  readonly password: string;
  /** Default: `<username>@example.test`. */
  readonly email?: string;
}

/** A created user. */
export interface RealmUser {
  /** The user id: the `sub` of the user's tokens. */
  readonly id: string;
  readonly username: string;
}

/**
 * Creates an enabled user with a permanent password and a complete profile (Keycloak refuses a
 * password login with "Account is not fully set up" while email or names are missing).
 *
 * @example
 * ```ts
 * const alice = await createUser(admin, 'test', { username: 'alice', password: 'pw-1' });
 * ```
 */
export async function createUser(
  admin: KeycloakAdmin,
  realm: string,
  spec: UserSpec,
): Promise<RealmUser> {
  const path = `/realms/${encodeURIComponent(realm)}/users`;
  const answer = await admin.send('POST', path, {
    username: spec.username,
    enabled: true,
    email: spec.email ?? `${spec.username}@example.test`,
    emailVerified: true,
    firstName: spec.username,
    lastName: 'Test',
    credentials: [{ type: 'password', value: spec.password, temporary: false }],
  });
  return { id: createdId(answer, path), username: spec.username };
}
