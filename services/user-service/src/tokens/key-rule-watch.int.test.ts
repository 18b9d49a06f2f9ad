/**
 * A key rule naming the active signing key, whatever its source, makes the service rotate
 * within seconds: new logins are signed by a key no rule names. Written here as a forger with
 * Kafka access only would write it — unsigned, straight into the topic — which verifiers
 * refuse; the service rotates anyway, since a rotation costs nothing.
 */
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import { openTopicWriter, uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserService } from '../service.js';
import {
  Api,
  PASSWORD,
  TEST_ISSUER,
  createTestDatabase,
  kafkaBrokers,
  startUserService,
  startVerifier,
  uniqueUsername,
  verdict,
} from '../test-support/harness.js';
import type { TestDatabase } from '../test-support/harness.js';

describe('a key rule naming the active key', () => {
  let database: TestDatabase;
  let service: UserService;
  let api: Api;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    service = await startUserService({
      ...database.env,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      REVOCATION_TOPIC: uniqueTopic('us-key-watch'),
      REVOCATION_TOPIC_PARTITIONS: '3',
    });
    api = new Api(service.url ?? '');
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  it('makes the service rotate within seconds, so new logins work', async () => {
    const verifier = await startVerifier(service);
    const writer = await openTopicWriter(kafkaBrokers(), { clientId: 'key-watch-forger' });
    try {
      const name = uniqueUsername('key-watch');
      await api.register(name, PASSWORD);
      const before = await api.login(name, PASSWORD);
      const activeKid = decodeProtectedHeader(before.accessToken).kid ?? '';
      expect(await verdict(verifier, before.accessToken)).toBe('ok');

      const forged = createEvent({
        kind: 'key',
        kid: activeKid,
        reason: 'key-compromise',
        actor: 'mallory',
        iss: TEST_ISSUER,
      });
      await writer.send(service.config.kafka.topic, [encodeEvent(forged)]);

      const after = await waitFor(
        async () => {
          const login = await api.login(name, PASSWORD);
          const kid = decodeProtectedHeader(login.accessToken).kid;
          return kid !== activeKid ? login : undefined;
        },
        { timeoutMs: 10_000, description: 'a login signed by another key' },
      );
      expect(await verdict(verifier, after.accessToken)).toBe('ok');
      // The forged brake was read and refused by the verifier: unsigned.
      await waitFor(() => verifier.stats().refused.byReason.BRAKE_UNSIGNED === 1, {
        timeoutMs: 10_000,
        description: 'the verifier refused the unsigned key rule',
      });
      expect(await verdict(verifier, before.accessToken)).toBe('ok');
    } finally {
      await writer.close();
      await verifier.close();
    }
  });
});
