/**
 * The receiver's bearer token goes to the poll stream's `endpoint_url` with every poll: a stream
 * naming another origin is refused before the first poll. The transmitter's documents are the
 * test's own inputs, served from this process; `localhost` and `127.0.0.1` are two origins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/harness.js';
import { serveKeys, testKey } from '../test-support/signals.js';
import type { KeyServer } from '../test-support/signals.js';
import { transmitterProvider } from '../test-support/transmitter.js';
import { POLL_METHOD } from './stream-setup.js';

const ISSUER = 'https://idp.test/realms/r';
let server: KeyServer;

beforeAll(async () => {
  server = await serveKeys([await testKey('RS256')], {
    '/ssf-configuration': (base) => ({
      issuer: ISSUER,
      jwks_uri: `${base}/jwks`,
      configuration_endpoint: `${base}/streams`,
    }),
    '/token': () => ({ access_token: 'receiver-token', expires_in: 300 }),
    '/streams': (base) => [
      {
        stream_id: 'stream-1',
        aud: 'gateway/stream-1',
        delivery: {
          method: POLL_METHOD,
          endpoint_url: `${base.replace('127.0.0.1', 'localhost')}/poll`,
        },
      },
    ],
  });
});
afterAll(async () => {
  await server.close();
});
const suite = useTestGateway(() => [transmitterProvider('kc', ISSUER, server.url)]);

describe('a poll stream', () => {
  it('whose endpoint_url lies outside the transmitter’s origin is refused before any poll', async () => {
    const receiver = suite.gateway.providers.get('kc')?.ssf;
    await expect
      .poll(() => receiver?.status(), { timeout: 4000 })
      .toMatchObject({ state: 'failed', lastError: { step: 'stream-setup' } });
  });
});
