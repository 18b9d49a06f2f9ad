/**
 * B4 worker: time from creating a reader to having read the whole topic, either a verifier
 * (`createVerifier(...).ready()`: replay, decode, validate, apply) or a bare kafkajs consumer
 * that only counts records up to the high-water marks. Each run is a fresh process, so neither
 * profits from the other's warm JIT or connections.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createVerifier } from '@revocation-fabric/verifier';
import { kafkaRevocations } from '@revocation-fabric/verifier/kafka';
import type { Message } from '../lib/child.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, createBenchKey, keySet } from '../lib/tokens.js';
import { fail, listen, reply } from '../lib/worker-side.js';

export interface ColdStartRequest extends Message {
  readonly type: 'run';
  readonly mode: 'verifier' | 'bare';
  readonly brokers: readonly string[];
  readonly topic: string;
}

export interface ColdStartResult extends Message {
  readonly type: 'result';
  /** From creating the client to ready (verifier) or to the last record (bare), ms. */
  readonly ms: number;
  /** Records read (bare) or rules held (verifier). */
  readonly count: number;
  /** heapUsed once ready, bytes. */
  readonly heapUsed: number;
}

/** The same fetch wait as the verifier's consumer, so neither idles longer at the end. */
const MAX_WAIT_TIME_MS = 100;

async function verifierReady(request: ColdStartRequest): Promise<ColdStartResult> {
  const key = await createBenchKey();
  const started = performance.now();
  const verifier = createVerifier({
    issuer: BENCH_ISSUER,
    audience: BENCH_AUDIENCE,
    algorithms: ['ES256'],
    jwks: keySet(key),
    revocations: kafkaRevocations({
      brokers: request.brokers,
      topic: request.topic,
      clientId: 'bench-b4',
    }),
  });
  await verifier.ready();
  const ms = performance.now() - started;
  const count = Object.values(verifier.stats().rulesByKind).reduce((a, b) => a + b, 0);
  const heapUsed = process.memoryUsage().heapUsed;
  await verifier.close();
  return { type: 'result', ms, count, heapUsed };
}

async function bareConsumer(request: ColdStartRequest): Promise<ColdStartResult> {
  const started = performance.now();
  const kafka = new Kafka({
    clientId: 'bench-b4-bare',
    brokers: [...request.brokers],
    logLevel: logLevel.NOTHING,
  });
  // Like the verifier, it must learn where the end is before it can tell it got there.
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(request.topic);
  const remaining = new Map<number, number>();
  for (const { partition, high, low } of offsets) {
    if (Number(high) > Number(low)) remaining.set(partition, Number(high));
  }
  const groupId = `bench-b4-bare-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: MAX_WAIT_TIME_MS, minBytes: 1 });
  let count = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  if (remaining.size === 0) finish();
  await consumer.connect();
  await consumer.subscribe({ topics: [request.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      count += batch.messages.length;
      const last = batch.messages[batch.messages.length - 1];
      const target = remaining.get(batch.partition);
      if (last !== undefined && target !== undefined && Number(last.offset) + 1 >= target) {
        remaining.delete(batch.partition);
        if (remaining.size === 0) finish();
      }
    },
  });
  await done;
  const ms = performance.now() - started;
  const heapUsed = process.memoryUsage().heapUsed;
  await consumer.disconnect();
  await admin.deleteGroups([groupId]).catch(() => undefined);
  await admin.disconnect();
  return { type: 'result', ms, count, heapUsed };
}

listen<ColdStartRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'stop') process.exit(0);
  reply(message.mode === 'verifier' ? await verifierReady(message) : await bareConsumer(message));
});
process.on('uncaughtException', fail);
