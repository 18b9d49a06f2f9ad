/**
 * The user-service's admin API as the CLI calls it: a bearer token with the admin role, the
 * one error body (`{ error: { code, message, fields? } }`), and receipts when asked to wait
 * (`Prefer: wait=applied; timeout=<s>` → `Preference-Applied: wait=applied` and a `receipt`).
 */
import type { ErrorBody } from '@revocation-fabric/protocol';
import { REVOCATION_RECEIPT_STATES } from '../../receipts.js';
import type { ReceiptVerifier, RevocationReceipt } from '../../receipts.js';
import { ApiAnswerInvalidError, ApiRefusedError, ApiUnreachableError } from '../errors.js';

/** Where the admin API is and who calls it. */
export interface AdminApi {
  /** The user-service's base URL. */
  readonly url: string;
  /** An access token of an account with the `admin` role. */
  readonly token: string;
}

/** An answer of the admin API. */
export interface AdminAnswer {
  readonly status: number;
  /** The route's body (`{}` for 204), without the receipt. */
  readonly body: Record<string, unknown>;
  /** Present when the service waited (`Preference-Applied: wait=applied`). */
  readonly receipt?: RevocationReceipt | undefined;
  /** Waiting was asked for but the service did not apply the preference. */
  readonly waitIgnored: boolean;
}

/** How long a call may take beyond the wait it asks for, ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Calls the admin API; `waitSeconds` asks the service to answer once every live verifier has
 * applied the revocation, or the time is up.
 *
 * @throws {@link ApiUnreachableError} when nothing answers; {@link ApiRefusedError} with the
 *   error body's code and message on a 4xx/5xx; {@link ApiAnswerInvalidError} on a body that
 *   is not JSON.
 */
export async function callAdmin(
  api: AdminApi,
  method: 'POST' | 'DELETE',
  path: string,
  options: { readonly json?: unknown; readonly waitSeconds?: number | undefined } = {},
): Promise<AdminAnswer> {
  const url = `${api.url.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${api.token}`,
    accept: 'application/json',
  };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.waitSeconds !== undefined)
    headers['prefer'] = `wait=applied; timeout=${options.waitSeconds}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers,
      ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS + (options.waitSeconds ?? 0) * 1000),
    });
    text = await response.text();
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiUnreachableError(
      `could not reach the user-service at ${url}: ${cause ?? message}`,
      { cause: error },
    );
  }
  const body = parseBody(text, response, url);
  if (!response.ok) throw refusal(response.status, body, method, path);
  const { receipt, ...rest } = body;
  const applied = /(^|[,\s])wait=applied\b/.test(response.headers.get('preference-applied') ?? '');
  return {
    status: response.status,
    body: rest,
    ...(applied && receipt !== undefined ? { receipt: checkReceipt(receipt, url) } : {}),
    waitIgnored: options.waitSeconds !== undefined && !applied,
  };
}

function parseBody(text: string, response: Response, url: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a proxy's page, another service at that URL.
  }
  if (!response.ok) return {};
  throw new ApiAnswerInvalidError(
    `${url} answered ${response.status} with a body that is not a JSON object: is --url the user-service?`,
  );
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function refusal(status: number, body: unknown, method: string, path: string): ApiRefusedError {
  const hint =
    status === 401
      ? ' — is --admin-token (REVOCATION_FABRIC_ADMIN_TOKEN) a live access token of this user-service?'
      : status === 403
        ? ' — the admin token’s account needs the admin role'
        : '';
  if (!isErrorBody(body))
    return new ApiRefusedError(
      `the user-service answered ${method} ${path} with HTTP ${status}${hint}`,
      status,
      `HTTP_${status}`,
    );
  const fields = (body.error.fields ?? [])
    .map((field) => `${field.path}: ${field.message}`)
    .join('; ');
  return new ApiRefusedError(
    `the user-service refused (${status} ${body.error.code}): ${body.error.message}${fields === '' ? '' : ` (${fields})`}${hint}`,
    status,
    body.error.code,
  );
}

function isEntryList(value: unknown): value is ReceiptVerifier[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry: unknown) =>
        typeof entry === 'object' &&
        entry !== null &&
        'clientId' in entry &&
        typeof entry.clientId === 'string' &&
        'behind' in entry &&
        typeof entry.behind === 'number',
    )
  );
}

function checkReceipt(value: unknown, url: string): RevocationReceipt {
  const receipt = value as Partial<Record<keyof RevocationReceipt, unknown>>;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof receipt.complete === 'boolean' &&
    typeof receipt.of === 'number' &&
    typeof receipt.ms === 'number' &&
    (REVOCATION_RECEIPT_STATES as readonly unknown[]).includes(receipt.state) &&
    isEntryList(receipt.applied) &&
    isEntryList(receipt.pending) &&
    isEntryList(receipt.gone ?? [])
  ) {
    return {
      ...(value as RevocationReceipt),
      gone: (receipt.gone as ReceiptVerifier[] | undefined) ?? [],
    };
  }
  throw new ApiAnswerInvalidError(
    `${url} answered a receipt this CLI cannot read: ${JSON.stringify(value)}`,
  );
}
