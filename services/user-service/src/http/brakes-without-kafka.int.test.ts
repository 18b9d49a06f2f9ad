/**
 * The emergency brakes work without Kafka. The user-service starts while its broker is down
 * (a cluster of this file's own, stopped first); an emergency cutoff and a key revocation are
 * answered 2xx at once, admins being authenticated from the service's own database; `/readyz`
 * answers 200 and says what waits. Once the broker is back the relay delivers both rules, and a
 * verifier from the verifier package — holding the JWKS a downstream service had cached before
 * the compromise — refuses the tokens each rule covers and accepts one issued after both.
 */
import { decodeProtectedHeader } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultKafkaSupport, startFaultKafka, waitFor } from '@revocation-fabric/testkit';
import type { FaultKafka } from '@revocation-fabric/testkit';
import { TokenRevokedError, createVerifier } from '@revocation-fabric/verifier';
import type { Verifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { UserService } from '../service.js';
import {
  Api,
  DATABASE_KINDS,
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  TEST_AUDIENCE,
  TEST_ISSUER,
  createTestDatabase,
  kafkaServiceEnvironment,
  outboxDepth,
  outboxMark,
  outboxSince,
  startUserService,
  uniqueUsername,
} from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';
import type { Readiness } from './readiness.js';

const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[brakes-without-kafka] skipped: ${faults.reason}`);

let cluster: FaultKafka | undefined;
let brokerUp = false;

beforeAll(async () => {
  if (!faults.supported) return;
  cluster = await startFaultKafka({ name: 'user-service-brakes' });
  brokerUp = true;
}, 240_000);

afterAll(async () => {
  await cluster?.close();
}, 120_000);

/** The verifier's verdict: 'ok', the error code, or for a revocation `TOKEN_REVOKED:kind:reason`. */
async function verdict(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (error instanceof TokenRevokedError) return `${error.code}:${error.kind}:${error.reason}`;
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : String(error);
  }
}

const kidOf = (token: string): string => decodeProtectedHeader(token).kid ?? '';

describe.skipIf(!faults.supported).each(DATABASE_KINDS)(
  'the emergency brakes with Kafka down on %s',
  (kind) => {
    let database: TestDatabase;
    let service: UserService | undefined;
    let verifier: Verifier | undefined;

    beforeAll(async () => {
      if (brokerUp) {
        await cluster?.stopNode(1);
        brokerUp = false;
      }
      database = await createTestDatabase(kind);
      service = await startUserService({
        ...kafkaServiceEnvironment(database, `us-brakes-${kind}`, cluster?.brokers ?? []),
        ...ROOT_ADMIN_ENVIRONMENT,
      });
    }, 120_000);

    afterAll(async () => {
      await verifier?.close();
      await service?.stop();
      await database?.drop();
    }, 60_000);

    it('answers an emergency cutoff and a key revocation 2xx while Kafka is down; a verifier enforces both once it is back', async () => {
      if (service === undefined || cluster === undefined) throw new Error('not started');
      const running = service;
      const api = new Api(running.url ?? '');
      const readiness = () => api.request<Readiness>('GET', '/readyz');
      /** `/readyz` answers 200 ready, the database fine, with this Kafka state and backlog. */
      const expectReady = async (kafka: string, pending: number) => {
        const answer = await readiness();
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({
          status: 'ready',
          database: 'ok',
          kafka,
          outbox: { pending },
        });
        return answer;
      };

      await expectReady('unreachable', 0);

      const alice = uniqueUsername('alice');
      await api.register(alice, PASSWORD);
      // Issued before the cutoff, with a key that is rotated out but never revoked: only the
      // global rule covers it.
      const beforeCutoff = await api.login(alice, PASSWORD);
      const firstAdmin = await api.login('root', PASSWORD);
      const mark = await outboxMark(running.store);

      const cutoff = await api.request<{ generation: number }>('POST', '/admin/emergency-cutoff', {
        token: firstAdmin.accessToken,
        json: {},
      });
      expect(cutoff.status).toBe(200);
      expect(cutoff.body.generation).toBeGreaterThan(0);
      // The service itself enforces the cutoff the moment it commits, Kafka or not.
      const stale = await api.request('GET', '/admin/keys', { token: firstAdmin.accessToken });
      expect(stale.status).toBe(401);

      const admin = await api.login('root', PASSWORD);
      const rotation = await api.request<{ activeKid: string }>('POST', '/admin/keys/rotate', {
        token: admin.accessToken,
      });
      expect(rotation.status).toBe(200);
      // Issued after the cutoff, with the key about to be compromised: only the key rule covers it.
      const compromised = await api.login(alice, PASSWORD);
      const compromisedKid = kidOf(compromised.accessToken);
      expect(compromisedKid).toBe(rotation.body.activeKid);
      expect(kidOf(beforeCutoff.accessToken)).not.toBe(compromisedKid);
      // What a downstream verifier had fetched before the compromise: it still holds the key.
      const cachedJwks = await api.request<JSONWebKeySet>('GET', '/.well-known/jwks.json');
      expect(cachedJwks.body.keys.map((key) => key.kid)).toContain(compromisedKid);

      const revocation = await api.request<{ revokedKid: string; activeKid: string }>(
        'POST',
        `/admin/keys/${compromisedKid}/revoke`,
        { token: admin.accessToken },
      );
      expect(revocation.status).toBe(200);
      expect(revocation.body.revokedKid).toBe(compromisedKid);
      const afterBoth = await api.login(alice, PASSWORD);
      expect(kidOf(afterBoth.accessToken)).toBe(revocation.body.activeKid);
      expect(cachedJwks.body.keys.map((key) => key.kid)).toContain(revocation.body.activeKid);

      const committed = await outboxSince(running.store, mark);
      expect(committed).toEqual([
        expect.objectContaining({ kind: 'global', reason: 'emergency' }),
        expect.objectContaining({ kind: 'key', kid: compromisedKid, reason: 'key-compromise' }),
      ]);
      // Kafka is down: nothing drains the outbox between this count and the answer.
      const waiting = await expectReady('unreachable', await outboxDepth(running.store));
      expect(waiting.body.outbox.pending).toBeGreaterThanOrEqual(2);
      expect(waiting.body.summary).toMatch(/wait to reach verifiers/);

      await cluster.startNode(1);
      brokerUp = true;
      await waitFor(async () => (await outboxDepth(running.store)) === 0, {
        timeoutMs: 60_000,
        description: 'the relay delivers the outbox once Kafka is back',
      });
      const healed = await readiness();
      expect(healed.body).toMatchObject({ status: 'ready', kafka: 'ok', outbox: { pending: 0 } });

      verifier = createVerifier({
        issuer: TEST_ISSUER,
        audience: TEST_AUDIENCE,
        algorithms: ['ES256'],
        jwks: cachedJwks.body,
        revocations: kafkaRevocations({
          brokers: cluster.brokers,
          topic: running.config.kafka.topic,
          clientId: `us-brakes-verifier-${kind}`,
        }),
        maxTokenLifetimeMs: running.config.tokens.maxTokenLifetimeSeconds * 1000,
        clockToleranceMs: running.config.tokens.clockToleranceMs,
      });
      await verifier.ready();
      expect(await verdict(verifier, beforeCutoff.accessToken)).toBe(
        'TOKEN_REVOKED:global:emergency',
      );
      expect(await verdict(verifier, compromised.accessToken)).toBe(
        'TOKEN_REVOKED:key:key-compromise',
      );
      expect(await verdict(verifier, afterBoth.accessToken)).toBe('ok');
    });
  },
);
