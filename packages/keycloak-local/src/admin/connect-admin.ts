import { z } from 'zod';
import { UnexpectedResponseError } from '../errors.js';
import { keycloakRequest, type KeycloakAnswer } from '../lib/keycloak-http.js';

/** How to reach a Keycloak's admin REST API. */
export interface AdminLogin {
  /** Base URL, e.g. `http://127.0.0.1:18080`. */
  readonly url: string;
  /** A master-realm administrator (the bootstrap admin of a local instance). */
  readonly adminUsername: string;
  readonly adminPassword: string;
}

/** An authenticated session with Keycloak's admin REST API (`/admin/...`). */
export interface KeycloakAdmin {
  /** Base URL of the server. */
  readonly url: string;
  /**
   * Sends a request below `/admin` (path starts with `/`, e.g. `/realms/test/users`) with a
   * fresh admin token; `alsoOk` lists non-2xx statuses that are not errors.
   */
  send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    json?: unknown,
    alsoOk?: readonly number[],
  ): Promise<KeycloakAnswer>;
  /** GET below `/admin`, parsed with `schema`. */
  get<T>(path: string, schema: z.ZodType<T>): Promise<T>;
}

const tokenSchema = z.object({ access_token: z.string(), expires_in: z.number() });

/**
 * Logs in to the master realm (`admin-cli`, password grant) and returns an admin session that
 * renews its token before it expires.
 *
 * @throws {AdminRequestError} the login was refused or the server did not answer.
 * @example
 * ```ts
 * const admin = await connectAdmin(keycloak);
 * await createRealm(admin, { realm: 'test-1' });
 * ```
 */
export async function connectAdmin(login: AdminLogin): Promise<KeycloakAdmin> {
  let token = await fetchToken(login);
  const bearer = async (): Promise<string> => {
    // Renew a little early: a token that expires in flight fails the request with 401.
    if (Date.now() > token.expiresAt - 10_000) token = await fetchToken(login);
    return token.value;
  };
  const send: KeycloakAdmin['send'] = async (method, path, json, alsoOk) =>
    keycloakRequest(login.url, {
      method,
      path: `/admin${path}`,
      bearer: await bearer(),
      ...(json === undefined ? {} : { json }),
      ...(alsoOk === undefined ? {} : { alsoOk }),
    });
  return {
    url: login.url,
    send,
    async get(path, schema) {
      const answer = await send('GET', path);
      return parseJson(answer.text, schema, `/admin${path}`);
    },
  };
}

async function fetchToken(login: AdminLogin): Promise<{ value: string; expiresAt: number }> {
  const path = '/realms/master/protocol/openid-connect/token';
  const answer = await keycloakRequest(login.url, {
    method: 'POST',
    path,
    form: {
      grant_type: 'password',
      client_id: 'admin-cli',
      username: login.adminUsername,
      password: login.adminPassword,
    },
  });
  const body = parseJson(answer.text, tokenSchema, path);
  return { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
}

/**
 * Parses a Keycloak JSON answer with `schema`.
 *
 * @throws {UnexpectedResponseError} not JSON, or not of that shape.
 */
export function parseJson<T>(text: string, schema: z.ZodType<T>, path: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(path, `not JSON: ${text.slice(0, 120)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UnexpectedResponseError(path, parsed.error.message);
  return parsed.data;
}
