/**
 * Staleness against a broker that really goes away. The run's shared broker must not be
 * stopped, so this file asks the testkit for a single-node cluster of its own, stops its only
 * node to cut the verifiers off, and starts it again.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import {
  createRevocationTopic,
  faultKafkaSupport,
  openTopicWriter,
  startFaultKafka,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { FaultKafka } from '@revocation-fabric/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUER, mint, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { codeOf, trustedIssuer } from './lib/verifier.fixture.js';
import { kafkaRevocations } from './kafka/index.js';
import { createVerifier } from './verifier.js';
import type { Verifier } from './verifier.js';

const MAX_STALENESS_MS = 3_000;
const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[staleness] skipped: ${faults.reason}`);

let cluster: FaultKafka | undefined;
let brokers: string[];
let topic: string;
let key: SigningKey;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  if (!faults.supported) return;
  cluster = await startFaultKafka({ name: 'verifier-staleness' });
  brokers = cluster.brokers;
  topic = uniqueTopic('verifier-stale');
  await createRevocationTopic(brokers, topic);
  key = await signingKey('stale-k1');
}, 240_000);

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await cluster?.close();
}, 120_000);

function start(onStale: 'open' | 'closed'): Verifier {
  const verifier = createVerifier({
    ...trustedIssuer([key]),
    revocations: kafkaRevocations({ brokers, topic, clientId: `verifier-stale-${onStale}` }),
    onStale,
    maxStalenessMs: MAX_STALENESS_MS,
  });
  verifiers.push(verifier);
  return verifier;
}

const outcome = (verifier: Verifier, token: string) => codeOf(verifier.verify(token));

describe.skipIf(!faults.supported)('verifier staleness with the broker down', () => {
  it('rejects with STALE (closed) or keeps accepting (open) while cut off, and recovers', async () => {
    const closed = start('closed');
    const open = start('open');
    await Promise.all([closed.ready(), open.ready()]);
    const token = await mint(key, {
      now: Math.floor(Date.now() / 1000) - 3,
      claims: { sid: 's-stale' },
    });
    expect(await outcome(closed, token)).toBe('ok');
    expect(await outcome(open, token)).toBe('ok');

    await cluster?.stopNode(1);
    await waitFor(async () => (await outcome(closed, token)) === 'STALE', {
      timeoutMs: 60_000,
      description: 'closed verifier turns STALE',
    });
    expect(closed.stats()).toMatchObject({ ready: true, stale: true, serving: false });
    // Each verifier's clock runs from its own last contact, which may be a fetch later.
    await waitFor(() => open.stats().stale, {
      timeoutMs: 60_000,
      description: 'open verifier turns stale',
    });
    expect(await outcome(open, token)).toBe('ok');
    expect(open.stats()).toMatchObject({ ready: true, stale: true, serving: true });

    await cluster?.startNode(1);
    await waitFor(async () => (await outcome(closed, token)) === 'ok', {
      timeoutMs: 120_000,
      description: 'closed verifier fresh again',
    });
    await waitFor(() => !open.stats().stale, {
      timeoutMs: 120_000,
      description: 'open verifier fresh again',
    });

    // The consumers really are back: a revocation published now reaches both.
    const writer = await openTopicWriter(brokers, { clientId: 'stale-test' });
    try {
      await writer.send(topic, [
        encodeEvent(
          createEvent({
            kind: 'session',
            sid: 's-stale',
            reason: 'logout',
            actor: 'test',
            iss: ISSUER,
            id: randomUUID(),
          }),
        ),
      ]);
    } finally {
      await writer.close();
    }
    for (const verifier of [closed, open]) {
      await waitFor(async () => (await outcome(verifier, token)) === 'TOKEN_REVOKED', {
        timeoutMs: 60_000,
        description: 'revocation after recovery applied',
      });
    }
  }, 360_000);
});
