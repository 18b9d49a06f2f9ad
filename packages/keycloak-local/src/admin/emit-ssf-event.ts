import { z } from 'zod';
import { parseJson, type KeycloakAdmin } from './connect-admin.js';

/** An SSF event an administrator asks the transmitter to send about one user. */
export interface SsfEmission {
  /** The receiver client whose stream gets the event. */
  readonly receiverClientId: string;
  /** A type Keycloak knows: `CaepSessionRevoked`, `CaepCredentialChange` or their URIs. */
  readonly eventType: string;
  /** The user the event is about. */
  readonly userId: string;
  /** Members of the event object, e.g. `{ initiating_entity: 'admin' }`. */
  readonly event?: Readonly<Record<string, unknown>>;
}

/**
 * Has the realm's transmitter send an event it would not send by itself (admin API
 * `POST /admin/realms/<realm>/ssf/clients/<clientId>/events/emit`): Keycloak 26.7.3 announces
 * nothing when a user is disabled or deleted, so an operator who wants receivers to act emits a
 * `session-revoked` for the user. The SET is signed and delivered like a native one.
 *
 * @returns the `jti` of the SET.
 * @throws {AdminRequestError} 400 `unknown_event_type` for a type Keycloak lacks (any RISC type).
 * @example
 * ```ts
 * await setUserEnabled(admin, realm, alice.id, false);
 * await emitSsfEvent(admin, realm, {
 *   receiverClientId: 'gateway', eventType: 'CaepSessionRevoked', userId: alice.id,
 * });
 * ```
 */
export async function emitSsfEvent(
  admin: KeycloakAdmin,
  realm: string,
  emission: SsfEmission,
): Promise<string> {
  const path = `/realms/${encodeURIComponent(realm)}/ssf/clients/${encodeURIComponent(emission.receiverClientId)}/events/emit`;
  const answer = await admin.send('POST', path, {
    eventType: emission.eventType,
    subjectType: 'user-id',
    subjectValue: emission.userId,
    ...(emission.event === undefined ? {} : { event: emission.event }),
  });
  return parseJson(answer.text, z.object({ jti: z.string() }), `/admin${path}`).jti;
}
