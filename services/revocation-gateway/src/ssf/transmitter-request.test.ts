/**
 * What the one HTTP client refuses from a provider's documents: another issuer, URLs outside
 * the issuer's origin, redirects. The documents are served from this process (the test's own
 * inputs; Keycloak itself is exercised by the Keycloak tests).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentialsToken } from './client-credentials.js';
import { fetchOpenIdConfiguration, fetchSsfConfiguration } from './discovery.js';
import { pollEvents } from './poll-events.js';
import { createStream, listStreams } from './stream-management.js';
import { TransmitterRequestError } from './transmitter-request.js';

type Handler = (req: IncomingMessage, res: ServerResponse, base: string) => void;

let base = '';
const routes = new Map<string, Handler>();
const hits: string[] = [];
const server = createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  hits.push(path);
  const handler = routes.get(path);
  if (handler === undefined) res.writeHead(404).end();
  else handler(req, res, base);
});
const json =
  (document: (base: string) => unknown): Handler =>
  (_req, res, b) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(b)));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function failure(promise: Promise<unknown>): Promise<TransmitterRequestError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TransmitterRequestError)) throw new Error(`no refusal: ${String(error)}`);
  return error;
}

describe('fetchOpenIdConfiguration', () => {
  it('reads a document naming the configured issuer and endpoints at its origin', async () => {
    routes.set(
      '/r1/.well-known/openid-configuration',
      json((b) => ({ issuer: `${b}/r1`, jwks_uri: `${b}/jwks`, token_endpoint: `${b}/token` })),
    );
    await expect(fetchOpenIdConfiguration(`${base}/r1`)).resolves.toMatchObject({
      jwks_uri: `${base}/jwks`,
    });
  });

  it('refuses a document naming another issuer', async () => {
    routes.set(
      '/r2/.well-known/openid-configuration',
      json((b) => ({ issuer: `${b}/other`, jwks_uri: `${b}/jwks` })),
    );
    const error = await failure(fetchOpenIdConfiguration(`${base}/r2`));
    expect(error.message).toMatch(/issuer/);
  });

  it('refuses a token_endpoint or jwks_uri outside the issuer’s origin', async () => {
    routes.set(
      '/r3/.well-known/openid-configuration',
      json((b) => ({
        issuer: `${b}/r3`,
        jwks_uri: `${b}/jwks`,
        token_endpoint: 'https://collector.test/token',
      })),
    );
    expect((await failure(fetchOpenIdConfiguration(`${base}/r3`))).message).toMatch(
      /token_endpoint/,
    );
    routes.set(
      '/r4/.well-known/openid-configuration',
      json((b) => ({ issuer: `${b}/r4`, jwks_uri: 'http://localhost:1/jwks' })),
    );
    expect((await failure(fetchOpenIdConfiguration(`${base}/r4`))).message).toMatch(/jwks_uri/);
  });
});

describe('fetchSsfConfiguration', () => {
  const issuer = 'https://idp.test/realms/r';

  it('reads a document naming the configured issuer, endpoints at the configured URL’s origin', async () => {
    routes.set(
      '/ssf-ok',
      json((b) => ({
        issuer,
        jwks_uri: `${b}/jwks`,
        configuration_endpoint: 'https://idp.test/realms/r/ssf/streams',
      })),
    );
    await expect(fetchSsfConfiguration(`${base}/ssf-ok`, issuer)).resolves.toMatchObject({
      issuer,
    });
  });

  it('refuses a document naming another issuer (its SETs would be verified against it)', async () => {
    routes.set(
      '/ssf-other',
      json((b) => ({ issuer: 'https://evil.test', jwks_uri: `${b}/jwks` })),
    );
    expect((await failure(fetchSsfConfiguration(`${base}/ssf-other`, issuer))).message).toMatch(
      /issuer/,
    );
  });

  it('refuses a configuration_endpoint or verification_endpoint elsewhere', async () => {
    for (const member of ['configuration_endpoint', 'verification_endpoint']) {
      routes.set(
        `/ssf-${member}`,
        json((b) => ({ issuer, jwks_uri: `${b}/jwks`, [member]: 'https://collector.test/x' })),
      );
      const error = await failure(fetchSsfConfiguration(`${base}/ssf-${member}`, issuer));
      expect(error.message).toContain(member);
    }
  });
});

describe('requests', () => {
  it('never follows a redirect: a 307 does not re-post the client secret', async () => {
    routes.set('/token-moved', (_req, res, b) =>
      res.writeHead(307, { location: `${b}/collector` }).end(),
    );
    routes.set(
      '/collector',
      json(() => ({ access_token: 'stolen' })),
    );
    await failure(clientCredentialsToken(`${base}/token-moved`, 'gateway', 'secret'));
    expect(hits).not.toContain('/collector');
  });

  it('stops reading an answer past 4 MiB and refuses it', async () => {
    routes.set('/huge', (_req, res) => {
      // Chunked, without content-length: only the reader's count can stop it.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 5; i += 1) res.write(chunk);
      res.end();
    });
    const error = await failure(
      pollEvents(`${base}/huge`, 't', {
        maxEvents: 1,
        returnImmediately: true,
        ack: [],
        setErrs: {},
      }),
    );
    expect(error.message).toMatch(/more than 4194304 bytes/);
  });

  it('never reads a delivery endpoint_url that is not an http(s) URL, and names it', async () => {
    routes.set(
      '/streams',
      json(() => ({
        stream_id: 's1',
        delivery: { method: 'urn:ietf:rfc:8936', endpoint_url: 'file:///etc/passwd' },
      })),
    );
    const { stream, unreadable } = await createStream(
      { endpoint: `${base}/streams`, token: 't' },
      {},
    );
    expect(stream.delivery).toEqual({ method: 'urn:ietf:rfc:8936' });
    expect(unreadable).toEqual(['delivery.endpoint_url: must be an http(s) URL']);
  });

  it('lists every stream it can identify, naming each member at fault by its path', async () => {
    routes.set(
      '/streams',
      json(() => [
        {
          stream_id: 's1',
          aud: 42,
          delivery: { method: 'urn:ietf:rfc:8935', authorization_header: 42 },
        },
        { id: 'not-a-stream' },
        { stream_id: 's2', delivery: { endpoint_url: 'https://idp.test/poll' } },
      ]),
    );
    const { streams, unreadable } = await listStreams({ endpoint: `${base}/streams`, token: 't' });
    expect(streams).toEqual([
      { stream_id: 's1', delivery: { method: 'urn:ietf:rfc:8935' } },
      { stream_id: 's2' },
    ]);
    expect(unreadable).toEqual([
      '[0].aud: Invalid input: expected string, received number',
      '[0].delivery.authorization_header: Invalid input: expected string, received number',
      '[1].stream_id: Invalid input: expected string, received undefined',
      '[1]: skipped',
      '[2].delivery.method: Invalid input: expected string, received undefined',
    ]);
  });

  it('reads an optional member sent as null as absent, as transmitters other than Keycloak write them', async () => {
    routes.set(
      '/streams',
      json((b) => ({
        stream_id: 's-null',
        iss: null,
        aud: null,
        delivery: {
          method: 'urn:ietf:rfc:8936',
          endpoint_url: `${b}/poll`,
          authorization_header: null,
        },
        events_requested: null,
      })),
    );
    const { stream } = await createStream({ endpoint: `${base}/streams`, token: 't' }, {});
    expect(stream).toMatchObject({
      stream_id: 's-null',
      delivery: { method: 'urn:ietf:rfc:8936' },
    });
    expect(stream.delivery?.authorization_header).toBeUndefined();
    expect(stream.iss).toBeUndefined();
    routes.set(
      '/poll',
      json(() => ({ sets: {}, moreAvailable: null })),
    );
    const answer = await pollEvents(`${base}/poll`, 't', {
      maxEvents: 10,
      returnImmediately: true,
      ack: [],
      setErrs: {},
    });
    expect(answer.moreAvailable).toBeUndefined();
  });

  it('names the whole answer when it is not an object at all', async () => {
    routes.set(
      '/streams',
      json(() => 'not a stream'),
    );
    const error = await failure(createStream({ endpoint: `${base}/streams`, token: 't' }, {}));
    expect(error.message).toMatch(/unexpected answer: \(the answer\): /);
  });
});
