/**
 * `Prefer: wait=applied` on the revocation endpoints, against the run's real broker: the answer
 * waits until every live verifier has applied the revocation and says so; a verifier that
 * gives no receipts (turned off) is named as the laggard once the bound runs out; without the
 * preference nothing changes; a malformed one is refused before anything is revoked.
 */
import { createVerifier } from '@revocation-fabric/verifier';
import type { Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  TEST_AUDIENCE,
  TEST_ISSUER,
  startVerifier,
  useUserService,
  verdict,
} from '../test-support/harness.js';
import type { RevocationReceipt } from '../receipts/revocation-receipts.js';

interface ReceiptAnswer {
  readonly receipt: RevocationReceipt;
}

describe('receipts of revocations (Prefer: wait=applied)', () => {
  const suite = useUserService('postgres', 'us-receipts', ROOT_ADMIN_ENVIRONMENT);
  const verifiers: Verifier[] = [];

  beforeAll(async () => {
    verifiers.push(await startVerifier(suite.service), await startVerifier(suite.service));
  });

  afterAll(async () => {
    await Promise.all(verifiers.map((verifier) => verifier.close()));
  });

  it('answers once every live verifier applied the logout, with the receipt', async () => {
    const admin = await suite.api.login('root', PASSWORD);
    // The fleet: both test verifiers, and the service's own key watch (it reads the topic too,
    // to rotate a signing key someone revoked, so it counts).
    const fleet = await suite.api.request<{ verifiers: { clientId: string; lag: number }[] }>(
      'GET',
      '/admin/fleet',
      { token: admin.accessToken },
    );
    expect(fleet.status).toBe(200);
    expect(fleet.body.verifiers.map((v) => v.clientId).sort()).toEqual([
      'user-service-key-watch',
      'user-service-test-verifier',
      'user-service-test-verifier',
    ]);
    const { accessToken } = await suite.api.login('root', PASSWORD);
    const answer = await suite.api.request<ReceiptAnswer>('POST', '/auth/logout', {
      token: accessToken,
      headers: { prefer: 'wait=applied; timeout=20' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('preference-applied')).toBe('wait=applied');
    expect(answer.body.receipt).toMatchObject({
      state: 'applied',
      complete: true,
      of: 3,
      pending: [],
    });
    expect(answer.body.receipt.applied.map((v) => v.clientId).sort()).toEqual(
      fleet.body.verifiers.map((v) => v.clientId).sort(),
    );
    // Applied means applied: each verifier refuses the token now, no waiting.
    for (const verifier of verifiers)
      expect(await verdict(verifier, accessToken)).toBe('TOKEN_REVOKED');
  });

  it('answers as before without the preference', async () => {
    const { accessToken } = await suite.api.login('root', PASSWORD);
    const answer = await suite.api.request('POST', '/auth/logout', { token: accessToken });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('preference-applied')).toBeNull();
  });

  it('refuses a malformed bound before revoking anything', async () => {
    const { accessToken } = await suite.api.login('root', PASSWORD);
    const answer = await suite.api.request<{ error: { code: string; fields: { path: string }[] } }>(
      'POST',
      '/auth/logout',
      { token: accessToken, headers: { prefer: 'wait=applied; timeout=soon' } },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('INVALID_REQUEST');
    expect(answer.body.error.fields.map((field) => field.path)).toEqual(['headers.prefer']);
    // The session still works: nothing was revoked.
    expect((await suite.api.request('GET', '/me', { token: accessToken })).status).toBe(200);
  });

  it('names a live verifier that gives no receipts as the laggard when the bound runs out', async () => {
    const silent = createVerifier({
      issuer: TEST_ISSUER,
      audience: TEST_AUDIENCE,
      algorithms: ['ES256'],
      jwks: { url: `${suite.service.url ?? ''}/.well-known/jwks.json` },
      revocations: kafkaRevocations({
        brokers: [...suite.service.config.kafka.brokers],
        topic: suite.service.config.kafka.topic,
        clientId: 'silent-verifier',
        receipts: false,
      }),
      maxTokenLifetimeMs: suite.service.config.tokens.maxTokenLifetimeSeconds * 1000,
      clockToleranceMs: suite.service.config.tokens.clockToleranceMs,
    });
    try {
      await silent.ready();
      const { accessToken } = await suite.api.login('root', PASSWORD);
      const answer = await suite.api.request<ReceiptAnswer>('POST', '/auth/logout', {
        token: accessToken,
        headers: { prefer: 'wait=applied; timeout=2' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body.receipt).toMatchObject({ state: 'pending', complete: false, of: 4 });
      expect(answer.body.receipt.applied).toHaveLength(3);
      expect(answer.body.receipt.pending).toEqual([
        expect.objectContaining({
          clientId: 'silent-verifier',
          behind: expect.any(Number) as number,
        }),
      ]);
      expect(answer.body.receipt.ms).toBeGreaterThanOrEqual(2_000);
      // It did apply the logout; it just says nothing about it.
      expect(await verdict(silent, accessToken)).toBe('TOKEN_REVOKED');
    } finally {
      await silent.close();
    }
  });
});
