/**
 * A key rule naming the active signing key, whatever its source, makes the service rotate
 * within seconds: new logins are signed by a key no rule names. Written here as a forger with
 * Kafka access only would write it — unsigned, straight into the topic — which verifiers
 * refuse; the service rotates anyway, since a rotation costs nothing.
 */
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import { openTopicWriter, waitFor } from '@revocation-fabric/testkit';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  PASSWORD,
  TEST_ISSUER,
  kafkaBrokers,
  startVerifier,
  uniqueUsername,
  useUserService,
  verdict,
} from '../test-support/harness.js';

describe('a key rule naming the active key', () => {
  const suite = useUserService('sqlite', 'us-key-watch');

  it('makes the service rotate within seconds, so new logins work', async () => {
    const verifier = await startVerifier(suite.service);
    const writer = await openTopicWriter(kafkaBrokers(), { clientId: 'key-watch-forger' });
    try {
      const name = uniqueUsername('key-watch');
      await suite.api.register(name, PASSWORD);
      const before = await suite.api.login(name, PASSWORD);
      const activeKid = decodeProtectedHeader(before.accessToken).kid ?? '';
      expect(await verdict(verifier, before.accessToken)).toBe('ok');

      const forged = createEvent({
        kind: 'key',
        kid: activeKid,
        reason: 'key-compromise',
        actor: 'mallory',
        iss: TEST_ISSUER,
      });
      await writer.send(suite.service.config.kafka.topic, [encodeEvent(forged)]);

      const after = await waitFor(
        async () => {
          const login = await suite.api.login(name, PASSWORD);
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
