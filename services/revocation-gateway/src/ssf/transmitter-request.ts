/**
 * What every request of the gateway towards an identity provider shares: Node's fetch with a
 * timeout, no redirects and a bounded answer; the one error they fail with; and how an answer
 * is checked with zod before anything reads it, its refusal naming each member at fault.
 */
import type { z } from 'zod';
import { CodedError } from '@revocation-fabric/protocol';
import { outsideOrigins } from './allowed-origins.js';

/** A request to a provider failed. Carries the step and, if one came, the HTTP status. */
export class TransmitterRequestError extends CodedError<'TRANSMITTER_REQUEST_FAILED'> {
  override readonly code = 'TRANSMITTER_REQUEST_FAILED';
  constructor(
    /** What was being done, e.g. `poll`. */
    readonly step: string,
    message: string,
    /** The HTTP status, when an answer came. */
    readonly status?: number,
    cause?: unknown,
  ) {
    super(`${step}: ${message}`, { cause });
  }
}

/** Where and as whom an endpoint of the transmitter's management API is called. */
export interface ManagementCall {
  /** The endpoint (e.g. the transmitter's `configuration_endpoint`). */
  readonly endpoint: string;
  /** The receiver's bearer token. */
  readonly token: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * An optional member of what a provider sends, read liberally: `null` means absent. Transmitters
 * write `"authorization_header": null` for a member they leave unset (SSF examples omit it);
 * refusing that refused a stream the transmitter had already created, which was then orphaned.
 */
export function absentOrNull<S extends z.ZodType>(schema: S) {
  return schema
    .nullable()
    .transform((value): z.output<S> | undefined => (value === null ? undefined : value))
    .optional();
}

const TIMEOUT_MS = 10_000;
/** Largest answer read from a provider: a poll of 1000 SETs of 4 KiB fits many times over. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Reads an answer's body up to {@link MAX_ANSWER_BYTES}, or `undefined` past it. Hand-written
 * because fetch's `text()` has no limit: a provider (or whoever sits in its place) could make
 * the gateway buffer any amount.
 */
async function boundedText(response: Response): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the stream (Node's web streams are async iterable).
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request's method, credentials and body. */
export interface RequestOptions {
  readonly method?: string;
  readonly token?: string;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** Ends the request early (the receiver stopping). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Sends one request and reads its JSON answer (`undefined` for an empty body).
 *
 * @example
 * ```ts
 * const { body } = await request('stream-read', endpoint, { token });
 * ```
 * @throws {@link TransmitterRequestError} for no answer, a non-2xx status, an answer too large
 * or not JSON.
 */
export async function request(
  step: string,
  url: string,
  init: RequestOptions,
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      ...(body === undefined ? {} : { body }),
      // A redirect is never followed: a 307/308 would re-send the form with the client secret
      // (or the bearer token) to wherever it points.
      redirect: 'error',
      signal: init.signal === undefined ? timeout : AbortSignal.any([timeout, init.signal]),
    });
  } catch (error) {
    throw new TransmitterRequestError(step, `no answer from ${url}`, undefined, error);
  }
  const text = await boundedText(response).catch(() => '');
  if (text === undefined) {
    throw new TransmitterRequestError(
      step,
      `${url} answered more than ${MAX_ANSWER_BYTES} bytes`,
      response.status,
    );
  }
  if (!response.ok) {
    throw new TransmitterRequestError(
      step,
      `${url} answered ${response.status} ${text.slice(0, 300)}`,
      response.status,
    );
  }
  if (text === '') return { status: response.status, body: undefined };
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch (error) {
    throw new TransmitterRequestError(
      step,
      `${url} answered with invalid JSON`,
      response.status,
      error,
    );
  }
}

function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(the answer)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

/**
 * Each problem of an answer as `path: message`. A union's bare "Invalid input" at the union's
 * own path is replaced by the problems of the branch that came closest, so a refusal names the
 * member at fault (`[0].delivery.authorization_header: …`), never an empty path.
 *
 * @example
 * ```ts
 * describeIssues(schema.safeParse(body).error?.issues ?? []); // ['aud: Invalid input: expected string, received number']
 * ```
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): string[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
      if (closest.length > 0) return describeIssues(closest, path);
    }
    return [`${pathText(path)}: ${issue.message}`];
  });
}

/**
 * Checks an answer against `schema`.
 *
 * @example
 * ```ts
 * const answer = parseAnswer('token', tokenAnswer, body);
 * ```
 * @throws {@link TransmitterRequestError} naming every member at fault.
 */
export function parseAnswer<S extends z.ZodType>(
  step: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TransmitterRequestError(
    step,
    `unexpected answer: ${describeIssues(parsed.error.issues).join('; ')}`,
  );
}

/**
 * Refuses a URL a provider's document names outside the allowed origins.
 *
 * @example
 * ```ts
 * checkOrigin('poll', 'delivery.endpoint_url', stream.delivery?.endpoint_url, originsOf(issuer));
 * ```
 * @throws {@link TransmitterRequestError} naming the member.
 */
export function checkOrigin(
  step: string,
  member: string,
  url: string | undefined,
  allowed: readonly string[],
): void {
  if (url === undefined || !outsideOrigins(url, allowed)) return;
  throw new TransmitterRequestError(
    step,
    `${member} ${url} lies outside ${allowed.join(', ')}: refused, our credentials would go there`,
  );
}
