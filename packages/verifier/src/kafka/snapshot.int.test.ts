/**
 * Snapshots against a real broker: a verifier resumes from the one its predecessor saved and
 * reads only the tail, and never resumes from one whose topic was recreated underneath it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import {
  createRevocationTopic,
  deleteTopic,
  openTopicWriter,
  uniqueTopic,
} from '@revocation-fabric/testkit';
import type { TopicWriter } from '@revocation-fabric/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ISSUER, mint, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { closeAfterEach, codeOf, trustedIssuer } from '../lib/verifier.fixture.js';
import { createVerifier } from '../verifier.js';
import type { Verifier } from '../verifier.js';
import { kafkaRevocations } from './index.js';

const brokers = inject('kafkaBrokers');
const open = closeAfterEach();
let producer: TopicWriter;
let key: SigningKey;
let directory: string;

beforeAll(async () => {
  producer = await openTopicWriter(brokers, { clientId: 'snapshot-int-test' });
  key = await signingKey('snap-k1');
  directory = await mkdtemp(join(tmpdir(), 'verifier-snapshots-'));
});

afterAll(async () => {
  await producer.close();
  await rm(directory, { recursive: true, force: true });
});

/**
 * Publishes one session revocation per sid, in order, all to partition 0: the offsets of the
 * recreated topic then line up with the old one's, and only the anchor can tell them apart.
 */
async function revokeSessions(topic: string, sids: readonly string[]): Promise<void> {
  const records = sids.map((sid) => ({
    ...encodeEvent(
      createEvent({ kind: 'session', sid, reason: 'logout', actor: 'int', iss: ISSUER }),
    ),
    partition: 0,
  }));
  await producer.send(topic, records, { acks: -1 });
}

async function started(topic: string): Promise<Verifier> {
  const verifier = open(
    createVerifier({
      ...trustedIssuer([key]),
      revocations: kafkaRevocations({
        brokers,
        topic,
        clientId: 'snapshot-int',
        snapshot: { directory },
      }),
    }),
  );
  await verifier.ready();
  return verifier;
}

const session = async (verifier: Verifier, sid: string) =>
  codeOf(verifier.verify(await mint(key, { claims: { sid } })));

describe('verifier snapshots with a real broker', () => {
  it('resumes from the snapshot its predecessor saved on close, reading only the tail', async () => {
    const topic = uniqueTopic('snapshot-int');
    await createRevocationTopic(brokers, topic);
    await revokeSessions(topic, ['s1', 's2', 's3']);
    const first = await started(topic);
    expect(first.stats().applied).toBe(3);
    await first.close();

    await revokeSessions(topic, ['s4']);
    const second = await started(topic);
    // Only the record published after the snapshot was read from the topic…
    expect(second.stats().applied).toBe(1);
    // …and the rules of both are in force.
    expect(await session(second, 's1')).toBe('TOKEN_REVOKED');
    expect(await session(second, 's4')).toBe('TOKEN_REVOKED');
    expect(await session(second, 's5')).toBe('ok');
  });

  it('replays in full, never hiding an event, when the topic was recreated under the snapshot', async () => {
    const topic = uniqueTopic('snapshot-recreated');
    await createRevocationTopic(brokers, topic);
    await revokeSessions(topic, ['old-1', 'old-2']);
    const first = await started(topic);
    await first.close();

    // Same name, offsets start over, and it already holds more records than the snapshot's
    // position: only the record at the snapshot's anchor tells them apart.
    await deleteTopic(brokers, topic);
    await createRevocationTopic(brokers, topic);
    await revokeSessions(topic, ['new-1', 'new-2', 'new-3']);
    const second = await started(topic);
    expect(second.stats().applied).toBe(3);
    expect(await session(second, 'new-1')).toBe('TOKEN_REVOKED');
    expect(await session(second, 'new-2')).toBe('TOKEN_REVOKED');
    expect(await session(second, 'old-1')).toBe('ok');
  });
});
