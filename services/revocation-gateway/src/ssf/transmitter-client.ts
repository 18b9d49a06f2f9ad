/**
 * The one HTTP client of the gateway towards identity providers: OpenID and SSF discovery, the
 * receiver's client-credentials token, the transmitter's stream management API (SSF 1.0 §8.1),
 * verification requests (§8.1.4) and RFC 8936 polling. Node's fetch, behind this interface;
 * every answer is checked with zod before anything else reads it.
 */
import { z } from 'zod';
import { CodedError } from '@revocation-fabric/protocol';
import { originsOf, outsideOrigins } from './allowed-origins.js';

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

/**
 * An optional member of what a provider sends, read liberally: `null` means absent. Transmitters
 * write `"authorization_header": null` for a member they leave unset (SSF examples omit it);
 * refusing that refused a stream the transmitter had already created, which was then orphaned.
 */
function absentOrNull<S extends z.ZodType>(schema: S) {
  return schema
    .nullable()
    .transform((value): z.output<S> | undefined => (value === null ? undefined : value))
    .optional();
}

const openIdConfiguration = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.url(),
  token_endpoint: absentOrNull(z.url()),
});
/** The members of an OpenID Provider configuration the gateway reads. */
export type OpenIdConfiguration = z.output<typeof openIdConfiguration>;

const ssfConfiguration = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.url(),
  delivery_methods_supported: absentOrNull(z.array(z.string())),
  configuration_endpoint: absentOrNull(z.url()),
  verification_endpoint: absentOrNull(z.url()),
  status_endpoint: absentOrNull(z.url()),
});
/** The members of an SSF transmitter configuration (SSF 1.0 §7.1) the gateway reads. */
export type SsfConfiguration = z.output<typeof ssfConfiguration>;

const tokenAnswer = z.looseObject({
  access_token: z.string().min(1),
  expires_in: absentOrNull(z.number().positive()),
});

const streamDelivery = z.looseObject({
  method: z.string(),
  endpoint_url: absentOrNull(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  authorization_header: absentOrNull(z.string()),
});
const streamConfiguration = z.looseObject({
  stream_id: z.string().min(1),
  iss: absentOrNull(z.string()),
  aud: absentOrNull(z.union([z.string(), z.array(z.string())])),
  delivery: absentOrNull(streamDelivery),
  events_requested: absentOrNull(z.array(z.string())),
  events_delivered: absentOrNull(z.array(z.string())),
});
/** A stream configuration (SSF 1.0 §8.1.1). */
export type StreamConfiguration = z.output<typeof streamConfiguration>;
/** Its `delivery` member. */
export type StreamDelivery = z.output<typeof streamDelivery>;

const pollAnswer = z.looseObject({
  sets: z.record(z.string(), z.string()).default({}),
  moreAvailable: absentOrNull(z.boolean()),
});
/** An RFC 8936 poll answer. */
export type PollAnswer = z.output<typeof pollAnswer>;

/** An RFC 8936 poll request. */
export interface PollRequest {
  readonly maxEvents: number;
  readonly returnImmediately: boolean;
  readonly ack: readonly string[];
  readonly setErrs: Readonly<
    Record<string, { readonly err: string; readonly description: string }>
  >;
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

interface RequestOptions {
  readonly method?: string;
  readonly token?: string;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** Ends the request early (the receiver stopping). */
  readonly signal?: AbortSignal | undefined;
}

async function request(
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

function parse<S extends z.ZodType>(step: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new TransmitterRequestError(
    step,
    `unexpected answer: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(the answer)'}: ${i.message}`).join('; ')}`,
  );
}

/**
 * Fetches `${issuer}/.well-known/openid-configuration`, refusing a document whose `issuer` is
 * not `issuer` exactly (OpenID Connect Discovery 1.0 §4.3) or whose `jwks_uri` or
 * `token_endpoint` lies outside the issuer's origin.
 *
 * @example
 * ```ts
 * const { jwks_uri } = await fetchOpenIdConfiguration('https://idp.example/realms/demo');
 * ```
 */
export async function fetchOpenIdConfiguration(
  issuer: string,
  signal?: AbortSignal,
): Promise<OpenIdConfiguration> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const { body } = await request('openid-discovery', url, { signal });
  const document = parse('openid-discovery', openIdConfiguration, body);
  checkIssuer('openid-discovery', document.issuer, issuer);
  const origins = originsOf(issuer);
  checkOrigin('openid-discovery', 'jwks_uri', document.jwks_uri, origins);
  checkOrigin('openid-discovery', 'token_endpoint', document.token_endpoint, origins);
  return document;
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

function checkIssuer(step: string, announced: string, configured: string): void {
  if (announced !== configured) {
    throw new TransmitterRequestError(
      step,
      `the document names issuer ${announced}, not the configured ${configured}`,
    );
  }
}

/**
 * Fetches an SSF transmitter configuration, refusing one whose `issuer` is not `issuer`
 * exactly, or whose endpoints lie outside the origin of the issuer and of `url`.
 *
 * @example
 * ```ts
 * const ssf = await fetchSsfConfiguration(`${issuer}/.well-known/ssf-configuration`, issuer);
 * ```
 */
export async function fetchSsfConfiguration(
  url: string,
  issuer: string,
  signal?: AbortSignal,
): Promise<SsfConfiguration> {
  const { body } = await request('ssf-discovery', url, { signal });
  const document = parse('ssf-discovery', ssfConfiguration, body);
  checkIssuer('ssf-discovery', document.issuer, issuer);
  const origins = originsOf(issuer, url);
  for (const member of [
    'jwks_uri',
    'configuration_endpoint',
    'verification_endpoint',
    'status_endpoint',
  ] as const) {
    checkOrigin('ssf-discovery', member, document[member], origins);
  }
  return document;
}

/**
 * Obtains a bearer token with the client-credentials grant (RFC 6749 §4.4, client_secret_post).
 *
 * @example
 * ```ts
 * const { accessToken, expiresInMs } = await clientCredentialsToken(tokenUrl, 'gateway', secret);
 * ```
 */
export async function clientCredentialsToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
  signal?: AbortSignal,
): Promise<{ accessToken: string; expiresInMs: number | undefined }> {
  const { body } = await request('token', tokenUrl, {
    method: 'POST',
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    signal,
  });
  const answer = parse('token', tokenAnswer, body);
  return {
    accessToken: answer.access_token,
    expiresInMs: answer.expires_in === undefined ? undefined : answer.expires_in * 1000,
  };
}

/** Where and as whom the stream management API is called. */
export interface ManagementCall {
  /** The transmitter's `configuration_endpoint`. */
  readonly endpoint: string;
  /** The receiver's bearer token. */
  readonly token: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Reads the receiver's streams (SSF 1.0 §8.1.1.2: an array, or one object when there is one).
 * A 404 means none.
 *
 * @example
 * ```ts
 * const streams = await listStreams({ endpoint: ssf.configuration_endpoint, token });
 * ```
 */
export async function listStreams(call: ManagementCall): Promise<StreamConfiguration[]> {
  try {
    const { body } = await request('stream-read', call.endpoint, {
      token: call.token,
      signal: call.signal,
    });
    if (body === undefined) return [];
    const streams = parse(
      'stream-read',
      z.union([z.array(streamConfiguration), streamConfiguration]),
      body,
    );
    return Array.isArray(streams) ? streams : [streams];
  } catch (error) {
    if (error instanceof TransmitterRequestError && error.status === 404) return [];
    throw error;
  }
}

/**
 * Creates a stream (SSF 1.0 §8.1.1.1).
 *
 * @example
 * ```ts
 * const stream = await createStream(call, { delivery: { method: 'urn:ietf:rfc:8936' } });
 * ```
 */
export async function createStream(
  call: ManagementCall,
  configuration: Record<string, unknown>,
): Promise<StreamConfiguration> {
  const { body } = await request('stream-create', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: configuration,
    signal: call.signal,
  });
  return parse('stream-create', streamConfiguration, body);
}

/**
 * Updates a stream (SSF 1.0 §8.1.1.3, PATCH: only the members given change).
 *
 * @example
 * ```ts
 * await updateStream(call, { stream_id, delivery });
 * ```
 */
export async function updateStream(
  call: ManagementCall,
  configuration: Record<string, unknown>,
): Promise<StreamConfiguration> {
  // Keycloak reads the stream id from the query (observed), SSF 1.0 from the body: send both.
  const url = new URL(call.endpoint);
  const id = configuration['stream_id'];
  if (typeof id === 'string') url.searchParams.set('stream_id', id);
  const { body } = await request('stream-update', url.toString(), {
    method: 'PATCH',
    token: call.token,
    json: configuration,
    signal: call.signal,
  });
  return parse('stream-update', streamConfiguration, body);
}

/**
 * Asks the transmitter for a verification event (SSF 1.0 §8.1.4.2).
 *
 * @example
 * ```ts
 * await requestVerification({ endpoint: ssf.verification_endpoint, token }, streamId, state);
 * ```
 */
export async function requestVerification(
  call: ManagementCall,
  streamId: string,
  state: string,
): Promise<void> {
  await request('verification', call.endpoint, {
    method: 'POST',
    token: call.token,
    json: { stream_id: streamId, state },
    signal: call.signal,
  });
}

/**
 * One RFC 8936 poll: acknowledges, reports errors and receives SETs.
 *
 * @example
 * ```ts
 * const { sets, moreAvailable } = await pollEvents(url, token, { maxEvents: 50, returnImmediately: true, ack: [], setErrs: {} });
 * ```
 */
export async function pollEvents(
  url: string,
  token: string,
  body: PollRequest,
  signal?: AbortSignal,
): Promise<PollAnswer> {
  const answer = await request('poll', url, { method: 'POST', token, json: body, signal });
  return parse('poll', pollAnswer, answer.body ?? {});
}
