import { z } from 'zod';
import { UnexpectedResponseError } from '../errors.js';
import { keycloakRequest } from '../lib/keycloak-http.js';
import { parseJson } from './connect-admin.js';

/** A confidential client's credentials. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly secret: string;
}

/** The tokens of one user session, from the password grant. */
export interface UserTokens {
  /** RS256 access token: `iss`, `sub`, `sid`, `aud`, `azp`. */
  readonly accessToken: string;
  /** Keycloak's own (HS512) refresh token; ends the session in {@link logoutSession}. */
  readonly refreshToken: string;
  readonly idToken: string;
  /** The session id (`sid` claim, `session_state`). */
  readonly sessionId: string;
  /** Access token lifetime, in seconds. */
  readonly expiresIn: number;
}

const tokenSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  id_token: z.string(),
  session_state: z.string(),
  expires_in: z.number(),
});

function protocolPath(realm: string, endpoint: 'token' | 'logout'): string {
  return `/realms/${encodeURIComponent(realm)}/protocol/openid-connect/${endpoint}`;
}

/** Asks the realm's token endpoint for a grant as `client`, and reads its answer with `schema`. */
async function tokenGrant<T>(
  url: string,
  realm: string,
  client: ClientCredentials,
  grant: Readonly<Record<string, string>>,
  schema: z.ZodType<T>,
): Promise<T> {
  const path = protocolPath(realm, 'token');
  const answer = await keycloakRequest(url, {
    method: 'POST',
    path,
    form: { ...grant, client_id: client.clientId, client_secret: client.secret },
  });
  return parseJson(answer.text, schema, path);
}

/**
 * Logs a user in without a browser (password grant, scope `openid`): a new Keycloak session.
 *
 * @throws {AdminRequestError} 400 `invalid_grant` for a wrong password or a disabled user.
 * @example
 * ```ts
 * const tokens = await passwordLogin(url, 'test', app, { username: 'alice', password: 'pw-1' });
 * ```
 */
export async function passwordLogin(
  url: string,
  realm: string,
  client: ClientCredentials,
  user: { readonly username: string; readonly password: string },
): Promise<UserTokens> {
  const body = await tokenGrant(
    url,
    realm,
    client,
    { grant_type: 'password', username: user.username, password: user.password, scope: 'openid' },
    tokenSchema,
  );
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    idToken: body.id_token,
    sessionId: body.session_state,
    expiresIn: body.expires_in,
  };
}

/**
 * Logs the user out the way a relying party does for them (`POST .../logout` with the refresh
 * token): Keycloak ends the session and sends back-channel logouts while handling the call.
 *
 * @example
 * ```ts
 * await logoutSession(url, 'test', app, tokens.refreshToken);
 * ```
 */
export async function logoutSession(
  url: string,
  realm: string,
  client: ClientCredentials,
  refreshToken: string,
): Promise<void> {
  await keycloakRequest(url, {
    method: 'POST',
    path: protocolPath(realm, 'logout'),
    form: { client_id: client.clientId, client_secret: client.secret, refresh_token: refreshToken },
  });
}

/**
 * A service-account access token (client-credentials grant), e.g. the SSF receiver's token for
 * the transmitter's stream management API.
 *
 * @example
 * ```ts
 * const token = await clientCredentialsToken(url, 'test', gateway);
 * ```
 */
export async function clientCredentialsToken(
  url: string,
  realm: string,
  client: ClientCredentials,
): Promise<string> {
  const body = await tokenGrant(
    url,
    realm,
    client,
    { grant_type: 'client_credentials' },
    z.object({ access_token: z.string() }),
  );
  if (body.access_token === '') {
    throw new UnexpectedResponseError(protocolPath(realm, 'token'), 'empty access_token');
  }
  return body.access_token;
}
