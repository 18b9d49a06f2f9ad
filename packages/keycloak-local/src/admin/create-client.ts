import { randomBytes } from 'node:crypto';
import type { KeycloakAdmin } from './connect-admin.js';
import { createdId } from './created-id.js';

/** A confidential OIDC client for a relying party (a service whose users log in). */
export interface ClientSpec {
  readonly clientId: string;
  /** Client secret. Default: random. */
  readonly secret?: string;
  /**
   * Where Keycloak POSTs OIDC Back-Channel Logout tokens (`backchannel.logout.url`), with
   * `backchannel.logout.session.required=true` so every token carries the session's `sid`.
   */
  readonly backchannelLogoutUrl?: string;
  /**
   * Put the client id into access tokens' `aud` (an audience mapper). Keycloak's default `aud`
   * is `account`, which no resource server should accept. Default: true.
   */
  readonly audience?: boolean;
}

/** A client as created: its internal id (admin API paths) and its credentials. */
export interface RealmClient {
  /** Keycloak's internal id, used in admin paths (`/clients/<id>`). */
  readonly id: string;
  readonly clientId: string;
  readonly secret: string;
}

/**
 * Creates a confidential client with the password grant enabled (direct access grants), so
 * tests obtain user tokens without a browser.
 *
 * @example
 * ```ts
 * const app = await createClient(admin, 'test', {
 *   clientId: 'game', backchannelLogoutUrl: 'http://127.0.0.1:4000/backchannel-logout',
 * });
 * ```
 */
export async function createClient(
  admin: KeycloakAdmin,
  realm: string,
  spec: ClientSpec,
): Promise<RealmClient> {
  const secret = spec.secret ?? randomBytes(18).toString('base64url');
  const attributes: Record<string, string> = {};
  if (spec.backchannelLogoutUrl !== undefined) {
    attributes['backchannel.logout.url'] = spec.backchannelLogoutUrl;
    attributes['backchannel.logout.session.required'] = 'true';
  }
  const path = `/realms/${encodeURIComponent(realm)}/clients`;
  const answer = await admin.send('POST', path, {
    clientId: spec.clientId,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    secret,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: true,
    attributes,
    protocolMappers:
      spec.audience === false
        ? []
        : [
            {
              name: 'audience',
              protocol: 'openid-connect',
              protocolMapper: 'oidc-audience-mapper',
              config: {
                'included.client.audience': spec.clientId,
                'access.token.claim': 'true',
                'id.token.claim': 'false',
              },
            },
          ],
  });
  return { id: createdId(answer, path), clientId: spec.clientId, secret };
}
