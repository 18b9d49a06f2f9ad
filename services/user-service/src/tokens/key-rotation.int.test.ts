/**
 * Key rotation over time, with two-second tokens: a rotated-out key stays in the JWKS exactly
 * as long as a token it signed can live, and leaves it afterwards.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import type { UserService } from '../service.js';
import {
  Api,
  DATABASE_KINDS,
  PASSWORD,
  createTestDatabase,
  kafkaBrokers,
  startUserService,
  startVerifier,
  uniqueUsername,
  verdict,
} from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';

describe.each(DATABASE_KINDS)('key rotation on %s', (kind) => {
  let database: TestDatabase;
  let service: UserService;
  let api: Api;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    service = await startUserService({
      ...database.env,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      REVOCATION_TOPIC: uniqueTopic(`us-keys-${kind}`),
      REVOCATION_TOPIC_PARTITIONS: '3',
      BOOTSTRAP_ADMIN_USERNAME: 'root',
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
      ACCESS_TOKEN_TTL_SECONDS: '2',
      MAX_TOKEN_LIFETIME_SECONDS: '2',
      CLOCK_TOLERANCE_MS: '500',
    });
    api = new Api(service.url ?? '');
    await service.adminReady();
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('keeps the previous key published until its tokens have expired, then drops it', async () => {
    const name = uniqueUsername('keys');
    await api.register(name, PASSWORD);
    const before = await api.login(name, PASSWORD);
    const oldKid = decodeProtectedHeader(before.accessToken).kid ?? '';
    const admin = await api.login('root', PASSWORD);
    const jwksBefore = await api.request<{ keys: Array<{ kid: string }> }>(
      'GET',
      '/.well-known/jwks.json',
    );
    const rotation = await api.request<{ activeKid: string }>('POST', '/admin/keys/rotate', {
      token: admin.accessToken,
    });
    expect(rotation.status).toBe(200);
    const rotatedAt = Date.now();

    const verifier = await startVerifier(service);
    try {
      expect(await verdict(verifier, before.accessToken)).toBe('ok');
      const published = async () =>
        (
          await api.request<{ keys: Array<{ kid: string }> }>('GET', '/.well-known/jwks.json')
        ).body.keys.map((k) => k.kid);
      // The key that signs now was published before the rotation, so every verifier's cached
      // JWKS already had it; the old one is still published.
      expect(jwksBefore.body.keys.map((k) => k.kid)).toContain(rotation.body.activeKid);
      expect(await published()).toEqual(expect.arrayContaining([rotation.body.activeKid, oldKid]));

      await waitFor(async () => !(await published()).includes(oldKid), {
        timeoutMs: 10_000,
        intervalMs: 100,
        description: 'the old key leaves the JWKS',
      });
      // Not before every token the key signed has expired.
      expect(Date.now()).toBeGreaterThanOrEqual((decodeJwt(before.accessToken).exp ?? 0) * 1000);
      expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual(2000);
      expect(await verdict(verifier, before.accessToken)).not.toBe('ok');
      const after = await api.login(name, PASSWORD);
      expect(await verdict(verifier, after.accessToken)).toBe('ok');
    } finally {
      await verifier.close();
    }
  });
});
