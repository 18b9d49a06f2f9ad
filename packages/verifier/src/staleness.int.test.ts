/**
 * Staleness against a broker that really goes away. The run's shared broker must not be
 * stopped, so this file starts a dedicated single-node cluster (kafka-local) on its own port,
 * stops its only node to cut the verifiers off, and starts it again.
 */
import { randomUUID } from 'node:crypto';
import { startCluster, startNode, stopCluster, stopNode } from '@revocation-fabric/kafka-local';
import { createEvent, encodeEvent, revocationTopicSpec } from '@revocation-fabric/protocol';
import { createTopic, uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerifierError } from './errors.js';
import type { VerifierErrorCode } from './errors.js';
import { AUDIENCE, ISSUER, keySet, mint, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { kafkaRevocations } from './kafka/index.js';
import { createVerifier } from './verifier.js';
import type { Verifier } from './verifier.js';

const CLUSTER = 'verifier-staleness';
const BASE_PORT = Number(process.env['VERIFIER_STALENESS_KAFKA_PORT'] ?? 29_392);
const MAX_STALENESS_MS = 3_000;

let brokers: string[];
let topic: string;
let key: SigningKey;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  const cluster = await startCluster({ name: CLUSTER, basePort: BASE_PORT, nodes: 1, fresh: true });
  brokers = [...cluster.brokers];
  topic = uniqueTopic('verifier-stale');
  const spec = revocationTopicSpec({ topic, partitions: 3, maxTokenLifetimeMs: 15 * 60_000 });
  await createTopic(brokers, {
    topic,
    partitions: spec.numPartitions,
    replicationFactor: 1,
    configEntries: spec.configEntries,
  });
  key = await signingKey('stale-k1');
}, 240_000);

afterAll(async () => {
  await Promise.all(verifiers.map((v) => v.close()));
  await stopCluster({ name: CLUSTER });
}, 120_000);

function start(onStale: 'open' | 'closed'): Verifier {
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    jwks: keySet(key),
    revocations: kafkaRevocations({ brokers, topic, clientId: `verifier-stale-${onStale}` }),
    onStale,
    maxStalenessMs: MAX_STALENESS_MS,
  });
  verifiers.push(verifier);
  return verifier;
}

async function outcome(verifier: Verifier, token: string): Promise<VerifierErrorCode | 'ok'> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (error instanceof VerifierError) return error.code;
    throw error;
  }
}

describe('verifier staleness with the broker down', () => {
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

    await stopNode(1, { name: CLUSTER });
    await waitFor(async () => (await outcome(closed, token)) === 'STALE', {
      timeoutMs: 60_000,
      description: 'closed verifier turns STALE',
    });
    expect(closed.stats()).toMatchObject({ ready: true, stale: true, serving: false });
    expect(await outcome(open, token)).toBe('ok');
    expect(open.stats()).toMatchObject({ ready: true, stale: true, serving: true });

    await startNode(1, { name: CLUSTER });
    await waitFor(async () => (await outcome(closed, token)) === 'ok', {
      timeoutMs: 120_000,
      description: 'closed verifier fresh again',
    });
    await waitFor(() => !open.stats().stale, {
      timeoutMs: 120_000,
      description: 'open verifier fresh again',
    });

    // The consumers really are back: a revocation published now reaches both.
    const producer = new Kafka({
      clientId: 'stale-test',
      brokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: [
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
        ],
      });
    } finally {
      await producer.disconnect();
    }
    for (const verifier of [closed, open]) {
      await waitFor(async () => (await outcome(verifier, token)) === 'TOKEN_REVOKED', {
        timeoutMs: 60_000,
        description: 'revocation after recovery applied',
      });
    }
  }, 360_000);
});
