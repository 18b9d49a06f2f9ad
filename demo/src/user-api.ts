/**
 * The few user-service calls the scenario makes, over plain HTTP as any client would.
 */
import type { RevocationReceipt } from '@revocation-fabric/operator';

/** The token pair the user-service answers login and refresh with. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly sessionId: string;
}

/** A call that did not answer as expected. */
export class ApiError extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The error body's `code` (`USERNAME_TAKEN`, `NOT_READY`, …), when the answer had one. */
  readonly code: string | undefined;

  constructor(options: {
    readonly status: number;
    readonly code?: string | undefined;
    readonly message: string;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
  }
}

/** The `code` of the services' one error body, `{ error: { code, message, requestId } }`. */
export function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

async function call(
  url: string,
  init: { method?: string; body?: unknown; token?: string; prefer?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (init.prefer !== undefined) headers['prefer'] = init.prefer;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the error message.
  }
  return { status: response.status, body };
}

/** Answer once every live verifier applied the revocation, within 10 s. */
const APPLIED = 'wait=applied; timeout=10';

/** The user-service's receipt of a revocation (see its `Prefer: wait=applied`). */
export type Receipt = RevocationReceipt;

function receiptOf(body: unknown): Receipt {
  const receipt = (body as { receipt?: Receipt } | undefined)?.receipt;
  if (receipt === undefined || !Array.isArray(receipt.applied) || !Array.isArray(receipt.pending))
    throw new ApiError({
      status: 200,
      message: `no receipt in the answer: ${JSON.stringify(body)}`,
    });
  return receipt;
}

function expectStatus(
  what: string,
  result: { status: number; body: unknown },
  ...expected: number[]
): void {
  if (!expected.includes(result.status)) {
    throw new ApiError({
      status: result.status,
      code: errorCodeOf(result.body),
      message: `${what}: HTTP ${result.status} ${JSON.stringify(result.body)}`,
    });
  }
}

/** The claims of a JWT, read without verification (the client's own token). */
function claimsOf(accessToken: string): Record<string, unknown> {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The `sub` claim of a JWT, read without verification (the client's own token). */
export function subjectOf(accessToken: string): string {
  const { sub } = claimsOf(accessToken);
  if (typeof sub !== 'string') throw new Error('access token without a sub claim');
  return sub;
}

/** The `exp` claim (seconds) of a JWT, read without verification. */
export function expiryOf(accessToken: string): number {
  const { exp } = claimsOf(accessToken);
  if (typeof exp !== 'number') throw new Error('access token without an exp claim');
  return exp;
}

/** The user-service's HTTP API, as the demo uses it. */
export class UserApi {
  constructor(readonly url: string) {}

  /** Creates the account; an existing one of that name is fine (a reused stack). */
  async register(username: string, password: string): Promise<void> {
    const result = await call(`${this.url}/auth/register`, {
      method: 'POST',
      body: { username, password },
    });
    // 409 only for this very reason; any other conflict is a failure.
    if (result.status === 409 && errorCodeOf(result.body) === 'USERNAME_TAKEN') return;
    expectStatus(`register ${username}`, result, 201);
  }

  async login(username: string, password: string): Promise<TokenPair> {
    const result = await call(`${this.url}/auth/login`, {
      method: 'POST',
      body: { username, password },
    });
    expectStatus(`login ${username}`, result, 200);
    return result.body as TokenPair;
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const result = await call(`${this.url}/auth/refresh`, {
      method: 'POST',
      body: { refreshToken },
    });
    expectStatus('refresh', result, 200);
    return result.body as TokenPair;
  }

  /** Logs out; answers as soon as the revocation is committed. */
  async logout(accessToken: string): Promise<void> {
    const result = await call(`${this.url}/auth/logout`, { method: 'POST', token: accessToken });
    expectStatus('logout', result, 204);
  }

  /**
   * Logs out and waits until every live verifier applied it (`Prefer: wait=applied`): the
   * answer carries the receipt.
   */
  async logoutWithReceipt(accessToken: string): Promise<Receipt> {
    const result = await call(`${this.url}/auth/logout`, {
      method: 'POST',
      token: accessToken,
      prefer: APPLIED,
    });
    expectStatus('logout', result, 200);
    return receiptOf(result.body);
  }

  /**
   * Bans an account (admin calls are authenticated from the user-service's own database) and
   * waits for its receipt.
   */
  async banWithReceipt(adminToken: string, userId: string): Promise<Receipt> {
    const result = await call(`${this.url}/admin/users/${encodeURIComponent(userId)}/ban`, {
      method: 'POST',
      token: adminToken,
      prefer: APPLIED,
    });
    expectStatus('ban', result, 200);
    return receiptOf(result.body);
  }
}

/** `GET <game>/me` with a token: the status, and the body when 200. */
export async function gameMe(
  gameUrl: string,
  accessToken: string,
): Promise<{ status: number; body: unknown }> {
  return call(`${gameUrl}/me`, { token: accessToken });
}
