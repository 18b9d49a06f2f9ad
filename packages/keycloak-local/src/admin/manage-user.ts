import { z } from 'zod';
import type { KeycloakAdmin } from './connect-admin.js';

// The admin actions on one user that revoke something: each is what an operator does in the
// admin console, and each makes Keycloak announce (or not) a logout or an SSF event.

function userPath(realm: string, userId: string): string {
  return `/realms/${encodeURIComponent(realm)}/users/${encodeURIComponent(userId)}`;
}

/**
 * Enables or disables a user (`PUT /users/<id>` with `enabled`). Keycloak 26.7.3 sends neither a
 * back-channel logout nor an SSF event when a user is disabled.
 *
 * @example
 * ```ts
 * await setUserEnabled(admin, 'test', alice.id, false);
 * ```
 */
export async function setUserEnabled(
  admin: KeycloakAdmin,
  realm: string,
  userId: string,
  enabled: boolean,
): Promise<void> {
  const user = await admin.get(userPath(realm, userId), z.record(z.string(), z.unknown()));
  await admin.send('PUT', userPath(realm, userId), { ...user, enabled });
}

/**
 * Sets a new permanent password as an administrator (`PUT /users/<id>/reset-password`): a
 * credential change, announced over SSF as CAEP `credential-change`.
 *
 * @example
 * ```ts
 * await resetPassword(admin, 'test', alice.id, 'new-secret');
 * ```
 */
export async function resetPassword(
  admin: KeycloakAdmin,
  realm: string,
  userId: string,
  password: string,
): Promise<void> {
  await admin.send('PUT', `${userPath(realm, userId)}/reset-password`, {
    type: 'password',
    value: password,
    temporary: false,
  });
}

/**
 * Ends every session of a user as an administrator (`POST /users/<id>/logout`): one
 * back-channel logout per session, and an SSF `session-revoked` for the user's sessions.
 *
 * @example
 * ```ts
 * await logoutUser(admin, 'test', alice.id);
 * ```
 */
export async function logoutUser(
  admin: KeycloakAdmin,
  realm: string,
  userId: string,
): Promise<void> {
  await admin.send('POST', `${userPath(realm, userId)}/logout`);
}

/**
 * Deletes a user; an absent user is not an error.
 *
 * @example
 * ```ts
 * await deleteUser(admin, 'test', alice.id);
 * ```
 */
export async function deleteUser(
  admin: KeycloakAdmin,
  realm: string,
  userId: string,
): Promise<void> {
  await admin.send('DELETE', userPath(realm, userId), undefined, [404]);
}

/**
 * Ids of the user's active sessions (the `sid` of their tokens).
 *
 * @example
 * ```ts
 * const sids = await userSessions(admin, 'test', alice.id);
 * ```
 */
export async function userSessions(
  admin: KeycloakAdmin,
  realm: string,
  userId: string,
): Promise<string[]> {
  const sessions = await admin.get(
    `${userPath(realm, userId)}/sessions`,
    z.array(z.object({ id: z.string() })),
  );
  return sessions.map((session) => session.id);
}

/**
 * Ends one session as an administrator (`DELETE /sessions/<sid>`): a back-channel logout for
 * it, but no SSF event (Keycloak 26.7.3).
 *
 * @example
 * ```ts
 * await deleteSession(admin, 'test', tokens.sessionId);
 * ```
 */
export async function deleteSession(
  admin: KeycloakAdmin,
  realm: string,
  sessionId: string,
): Promise<void> {
  await admin.send(
    'DELETE',
    `/realms/${encodeURIComponent(realm)}/sessions/${encodeURIComponent(sessionId)}`,
  );
}
