/**
 * A relay over the real broker: the verifiers of a host share its one consumer (one group on
 * the broker, not one per verifier), and a revocation published to the topic reaches them all.
 */
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import {
  consumerGroups,
  createRevocationTopic,
  openTopicWriter,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import { afterEach, expect, inject, it } from 'vitest';
import { ISSUER, mint, signingKey } from '../lib/tokens.fixture.js';
import { codeOf, trustedIssuer } from '../lib/verifier.fixture.js';
import { kafkaRevocations } from '../kafka/index.js';
import { createVerifier } from '../verifier.js';
import { createRevocationRelay, relayRevocations } from './index.js';

const brokers = inject('kafkaBrokers');
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

it('feeds every verifier of a host through one consumer group, and a revocation reaches them all', async () => {
  const topic = uniqueTopic('relay-int');
  await createRevocationTopic(brokers, topic);
  const clientId = `relay-int-${Date.now().toString(36)}`;
  const relay = createRevocationRelay({
    revocations: kafkaRevocations({ brokers, topic, clientId }),
    listen: { port: 0 },
    maxTokenLifetimeMs: 15 * 60_000,
  });
  open.push(relay);
  const address = await relay.start();
  if (!('url' in address)) throw new Error('expected a TCP relay');
  const key = await signingKey('relay-int-k1');
  const verifiers = Array.from({ length: 5 }, () =>
    createVerifier({ ...trustedIssuer([key]), revocations: relayRevocations(address) }),
  );
  open.push(...verifiers);
  await Promise.all(verifiers.map((verifier) => verifier.ready()));
  expect(
    (await consumerGroups(brokers)).filter((group) => group.startsWith(clientId)),
  ).toHaveLength(1);

  const token = await mint(key, { claims: { sid: 'relayed-session' } });
  const writer = await openTopicWriter(brokers, { clientId: 'relay-int-writer' });
  try {
    const event = createEvent({
      kind: 'session',
      sid: 'relayed-session',
      reason: 'logout',
      actor: 'int',
      iss: ISSUER,
    });
    await writer.send(topic, [encodeEvent(event)], { acks: -1 });
  } finally {
    await writer.close();
  }
  await waitFor(async () => {
    const outcomes = await Promise.all(verifiers.map((verifier) => codeOf(verifier.verify(token))));
    return outcomes.every((outcome) => outcome === 'TOKEN_REVOKED');
  });
  expect(relay.stats()).toMatchObject({ ready: true, events: 1, streams: 5 });
});
