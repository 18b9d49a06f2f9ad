// The one file of this package that speaks HTTP (global fetch): Keycloak's admin REST API, its
// OIDC endpoints and its health endpoint all go through `keycloakRequest`.
import { AdminRequestError } from '../errors.js';

/** One request to Keycloak. */
export interface KeycloakRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  /** Access token for `Authorization: Bearer`. */
  readonly bearer?: string;
  /** A JSON body. */
  readonly json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`), as OIDC endpoints take. */
  readonly form?: Readonly<Record<string, string>>;
  /** Statuses that are not an error besides 2xx (e.g. 404 for "absent"). */
  readonly alsoOk?: readonly number[];
  /** Give up after this long, in ms. Default: 30 000. */
  readonly timeoutMs?: number;
}

/** What Keycloak answered. */
export interface KeycloakAnswer {
  readonly status: number;
  /** The `Location` header (set on 201 Created). */
  readonly location: string | undefined;
  readonly text: string;
}

/**
 * Sends one request and returns the answer; a status outside 2xx and `alsoOk`, or no answer at
 * all, is an {@link AdminRequestError} (status 0 when the server did not answer).
 */
export async function keycloakRequest(
  baseUrl: string,
  request: KeycloakRequest,
): Promise<KeycloakAnswer> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (request.bearer !== undefined) headers['authorization'] = `Bearer ${request.bearer}`;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    throw new AdminRequestError(request.method, request.path, 0, String(cause));
  }
  const text = await response.text();
  const ok = response.ok || (request.alsoOk?.includes(response.status) ?? false);
  if (!ok) throw new AdminRequestError(request.method, request.path, response.status, text);
  return { status: response.status, location: response.headers.get('location') ?? undefined, text };
}
