/**
 * A stream the transmitter created while the gateway refused (or never got) the creation
 * answer is the gateway's all the same: the retry finds it in the listing and adopts it, rather
 * than failing forever. The transmitter runs in this process (the test's own inputs).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../signals/mapping.js';
import { useTestGateway } from '../test-support/harness.js';
import { setClaims, sign, testKey } from '../test-support/signals.js';
import type { TestKey } from '../test-support/signals.js';
import { startTransmitter, transmitterProvider } from '../test-support/transmitter.js';
import type { TestTransmitter } from '../test-support/transmitter.js';

const ISSUER = 'https://idp.test/realms/r';
let key: TestKey;
let transmitter: TestTransmitter;
let pushing: TestTransmitter;

beforeAll(async () => {
  key = await testKey('RS256');
  transmitter = await startTransmitter(key, ISSUER, {
    // What the transmitter writes: `events_delivered` as one string, which the gateway reads as
    // absent; and its creation answer holds no stream the gateway can read.
    write: (stream) => ({ ...stream, events_delivered: 'session-revoked credential-change' }),
    createAnswer: () => ({ status: 201, body: { created: true } }),
  });
  pushing = await startTransmitter(key, ISSUER, {
    // A push delivery whose authorization_header is written as a number: unreadable.
    write: (stream) => ({
      ...stream,
      delivery: { ...(stream['delivery'] as object), authorization_header: 42 },
    }),
    createAnswer: () => ({ status: 201, body: undefined }),
  });
});
afterAll(async () => {
  await transmitter.close();
  await pushing.close();
});
const suite = useTestGateway(() => [
  transmitterProvider('kc', ISSUER, transmitter.url, { pollIntervalMs: 50 }),
  transmitterProvider('pushed', ISSUER, pushing.url, {
    delivery: 'push',
    pushUrl: 'http://127.0.0.1:9/ssf/pushed/events',
  }),
]);

describe('a stream whose creation answer was refused', () => {
  it('is adopted on the retry, polled, and a signal sent on it is committed', async () => {
    const receiver = suite.gateway.providers.get('kc')?.ssf;
    await expect
      .poll(() => receiver?.status(), { timeout: 8000 })
      .toMatchObject({ state: 'registered', lastError: undefined });
    const created = transmitter.requests.filter(
      (r) => r.method === 'POST' && r.path === '/streams',
    );
    expect(created).toHaveLength(1);
    const stream = transmitter.streams[0];
    expect(receiver?.status().streamId).toBe(stream?.stream_id);

    const jti = randomUUID();
    const claims = setClaims(
      ISSUER,
      String(stream?.['aud']),
      Date.now(),
      {
        type: EVENT_TYPES.credentialChange,
        subject: { format: 'iss_sub', iss: ISSUER, sub: 'user-1' },
      },
      { jti },
    );
    transmitter.queue(jti, await sign(key, claims, { typ: 'secevent+jwt' }));
    // The transmitter is acknowledged a SET only once its event is committed.
    await expect.poll(() => transmitter.acknowledged(), { timeout: 8000 }).toContain(jti);
  }, 20_000);

  it('is adopted with our push authorization sent again when its delivery cannot be read', async () => {
    const receiver = suite.gateway.providers.get('pushed')?.ssf;
    await expect
      .poll(() => receiver?.status(), { timeout: 8000 })
      .toMatchObject({ state: 'registered', streamId: pushing.streams[0]?.stream_id });
    expect(pushing.streams).toHaveLength(1);
    const updates = pushing.requests.filter((r) => r.method === 'PATCH');
    expect(updates.at(-1)?.body).toEqual({
      stream_id: pushing.streams[0]?.stream_id,
      delivery: {
        method: 'urn:ietf:rfc:8935',
        endpoint_url: 'http://127.0.0.1:9/ssf/pushed/events',
        authorization_header: await receiver?.pushAuthorization(),
      },
    });
  }, 20_000);
});
