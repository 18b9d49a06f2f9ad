import type { KeycloakAdmin } from './connect-admin.js';

/** A realm to create. Every field's unit is seconds. */
export interface RealmSpec {
  /** Realm name (also the last path segment of its issuer). */
  readonly realm: string;
  /** Access token (and logout token) lifetime. Default: 120. */
  readonly accessTokenLifespanSeconds?: number;
  /** SSO session idle timeout. Default: 1800. */
  readonly ssoSessionIdleTimeoutSeconds?: number;
  /** Whether the realm's SSF transmitter is on (`ssf.transmitterEnabled`). Default: true. */
  readonly ssfTransmitter?: boolean;
}

/**
 * Creates an enabled realm with short token lifetimes and, unless told otherwise, its SSF
 * transmitter switched on (Keycloak then publishes `/realms/<realm>/.well-known/ssf-configuration`
 * and creates the client scopes `ssf.read` and `ssf.manage`).
 *
 * @throws {AdminRequestError} e.g. 409 when the realm exists.
 * @example
 * ```ts
 * await createRealm(admin, { realm: 'orders-test' });
 * ```
 */
export async function createRealm(admin: KeycloakAdmin, spec: RealmSpec): Promise<void> {
  await admin.send('POST', '/realms', {
    realm: spec.realm,
    enabled: true,
    accessTokenLifespan: spec.accessTokenLifespanSeconds ?? 120,
    ssoSessionIdleTimeout: spec.ssoSessionIdleTimeoutSeconds ?? 1800,
    attributes: { 'ssf.transmitterEnabled': String(spec.ssfTransmitter ?? true) },
  });
}

/**
 * Deletes a realm with everything in it; an absent realm is not an error.
 *
 * @example
 * ```ts
 * await deleteRealm(admin, 'orders-test');
 * ```
 */
export async function deleteRealm(admin: KeycloakAdmin, realm: string): Promise<void> {
  await admin.send('DELETE', `/realms/${encodeURIComponent(realm)}`, undefined, [404]);
}
