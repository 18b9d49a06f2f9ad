/**
 * An SSF transmitter in this process for the receiver's tests: the transmitter configuration,
 * its keys, a token endpoint, the stream configuration endpoint (streams kept in memory), a poll
 * endpoint serving the SETs a test queues, and the add-subject endpoint. Each answer a test
 * needs to bend (a creation answer the gateway refuses, a listing with a malformed member) is
 * a hook; every request is recorded. Not part of the build, not an imitation of a product: the
 * real Keycloak is exercised by the Keycloak tests.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestKey } from './signals.js';

/** A stream as the transmitter keeps it. */
export type HeldStream = Record<string, unknown> & { stream_id: string };

/** A request the transmitter received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

/** How the transmitter answers; every member optional. */
export interface TransmitterOptions {
  /** Members merged into the transmitter configuration (e.g. `default_subjects`). */
  readonly configuration?: (base: string) => Record<string, unknown>;
  /** How a stream is written in every answer (default: as held). */
  readonly write?: (stream: HeldStream) => unknown;
  /** The status and body of a creation answer (default: 201 and the stream written). */
  readonly createAnswer?: (stream: HeldStream) => { status: number; body: unknown };
}

/** A running transmitter. */
export interface TestTransmitter {
  readonly url: string;
  readonly issuer: string;
  readonly streams: HeldStream[];
  readonly requests: ReceivedRequest[];
  /** Queues a signed SET for the next poll. */
  queue(jti: string, set: string): void;
  /** The `ack` lists of the polls received, flattened. */
  acknowledged(): string[];
  close(): Promise<void>;
}

/** A JSON body as its value; any other body (the token request's form) as its text. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  return req.headers['content-type'] === 'application/json' ? (JSON.parse(text) as unknown) : text;
}

/** Starts a transmitter signing with `key`, for the issuer `issuer`. */
export async function startTransmitter(
  key: TestKey,
  issuer: string,
  options: TransmitterOptions = {},
): Promise<TestTransmitter> {
  let base = '';
  const streams: HeldStream[] = [];
  const requests: ReceivedRequest[] = [];
  const pending = new Map<string, string>();
  const write = options.write ?? ((stream: HeldStream) => stream);

  const answer = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = await readBody(req);
    requests.push({ method, path, body });
    const input = (body ?? {}) as Record<string, unknown>;
    switch (`${method} ${path}`) {
      case 'GET /ssf-configuration':
        return {
          status: 200,
          body: {
            issuer,
            jwks_uri: `${base}/jwks`,
            configuration_endpoint: `${base}/streams`,
            ...options.configuration?.(base),
          },
        };
      case 'GET /jwks':
        return { status: 200, body: { keys: [key.publicJwk] } };
      case 'POST /token':
        return { status: 200, body: { access_token: 'receiver-token', expires_in: 300 } };
      case 'GET /streams':
        return { status: 200, body: streams.map(write) };
      case 'POST /streams': {
        const id = randomUUID();
        const stream: HeldStream = { ...input, stream_id: id, iss: issuer, aud: `gateway/${id}` };
        if ((stream['delivery'] as { method?: string } | undefined)?.method?.endsWith('8936')) {
          stream['delivery'] = { method: 'urn:ietf:rfc:8936', endpoint_url: `${base}/poll` };
        }
        streams.push(stream);
        return options.createAnswer?.(stream) ?? { status: 201, body: write(stream) };
      }
      case 'PATCH /streams': {
        const stream = streams.find((s) => s.stream_id === input['stream_id']);
        if (stream === undefined) return { status: 404, body: undefined };
        Object.assign(stream, input);
        return { status: 200, body: write(stream) };
      }
      case 'POST /poll': {
        for (const jti of (input['ack'] as string[] | undefined) ?? []) pending.delete(jti);
        return { status: 200, body: { sets: Object.fromEntries(pending), moreAvailable: false } };
      }
      case 'POST /subjects:add':
        return { status: 200, body: undefined };
      default:
        return { status: 404, body: undefined };
    }
  };

  const server = createServer((req, res) => {
    answer(req).then(
      ({ status, body }) =>
        body === undefined
          ? res.writeHead(status).end()
          : res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    issuer,
    streams,
    requests,
    queue: (jti, set) => pending.set(jti, set),
    acknowledged: () =>
      requests
        .filter((r) => r.path === '/poll')
        .flatMap((r) => ((r.body as { ack?: string[] } | undefined)?.ack ?? []).slice()),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A provider whose SSF transmitter is served at `base` (`/ssf-configuration`, `/token`), with
 * poll delivery unless `ssf` says otherwise.
 */
export function transmitterProvider(
  name: string,
  issuer: string,
  base: string,
  ssf: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    name,
    issuer,
    algorithms: ['RS256'],
    maxTokenLifetimeMs: 900_000,
    ssf: {
      configurationUrl: `${base}/ssf-configuration`,
      delivery: 'poll',
      tokenUrl: `${base}/token`,
      clientId: 'gateway',
      clientSecret: 'secret',
      ...ssf,
    },
  };
}
