/**
 * The verifier against a real Kafka broker (the run's shared one): every test uses topics and
 * consumer groups of its own. Outcomes are awaited by polling with generous timeouts; nothing
 * asserts a latency.
 */
import { randomUUID } from 'node:crypto';
import { REVOCATION_SIGNATURE_HEADER, createEvent, encodeEvent } from '@revocation-fabric/protocol';
import type { RevocationRule } from '@revocation-fabric/protocol';
import {
  consumerGroups,
  createRevocationTopic,
  createTopic,
  openTopicWriter,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { OutgoingRecord, TopicWriter } from '@revocation-fabric/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ISSUER, mint, signBrake, signingKey } from './lib/tokens.fixture.js';
import type { RevocationInput, SigningKey } from './lib/tokens.fixture.js';
import { codeOf, trustedIssuer } from './lib/verifier.fixture.js';
import type { SingleIssuerVerifierOptions } from './options.js';
import { kafkaRevocations } from './kafka/index.js';
import { createVerifier } from './verifier.js';
import type { Verifier } from './verifier.js';

const brokers = inject('kafkaBrokers');
let producer: TopicWriter;
let key: SigningKey;
let otherKey: SigningKey;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  producer = await openTopicWriter(brokers, { clientId: 'verifier-int-test' });
  key = await signingKey('int-k1');
  otherKey = await signingKey('int-k2');
});

afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((v) => v.close()));
});

afterAll(async () => {
  await producer.close();
});

async function revocationTopic(): Promise<string> {
  const topic = uniqueTopic('verifier-int');
  await createRevocationTopic(brokers, topic);
  return topic;
}

function start(topic: string, overrides: Partial<SingleIssuerVerifierOptions> = {}): Verifier {
  const verifier = createVerifier({
    ...trustedIssuer([key, otherKey]),
    revocations: kafkaRevocations({ brokers, topic, clientId: 'verifier-int' }),
    ...overrides,
  });
  verifiers.push(verifier);
  return verifier;
}

function revocationMessage(input: RevocationInput): OutgoingRecord {
  return encodeEvent(createEvent({ actor: 'int-test', iss: ISSUER, ...input }));
}

/** A brake, signed with the issuer's key as the user-service signs it. */
async function brakeMessage(input: RevocationInput): Promise<OutgoingRecord> {
  const encoded = revocationMessage(input);
  return {
    ...encoded,
    headers: { [REVOCATION_SIGNATURE_HEADER]: await signBrake(key, String(encoded.value)) },
  };
}

async function publish(topic: string, messages: OutgoingRecord[]): Promise<void> {
  await producer.send(topic, messages, { acks: -1 });
}

const outcome = (verifier: Verifier, token: string) => codeOf(verifier.verify(token));

/** A token issued a few seconds ago, so cutoffs set "now" are after its issue time. */
function earlier(signing: SigningKey, claims: Record<string, unknown> = {}): Promise<string> {
  return mint(signing, { now: Math.floor(Date.now() / 1000) - 3, claims });
}

describe('verifier with a real broker', () => {
  it('rejects a token once a rule of each kind is published, and emits revoked', async () => {
    const topic = await revocationTopic();
    const verifier = start(topic);
    await verifier.ready();
    const revoked: RevocationRule[] = [];
    verifier.onRevoked((rule) => revoked.push(rule));

    const jti = randomUUID();
    const tokens = {
      token: await earlier(key, { jti, sub: 'u-token', sid: 's-token' }),
      session: await earlier(key, { sub: 'u-session', sid: 's-session' }),
      subject: await earlier(key, { sub: 'u-subject', sid: 's-subject' }),
      key: await earlier(otherKey, { sub: 'u-key', sid: 's-key' }),
    };
    const bystander = await earlier(key, { sub: 'u-bystander', sid: 's-bystander' });
    for (const token of [...Object.values(tokens), bystander]) {
      expect(await outcome(verifier, token)).toBe('ok');
    }

    await publish(topic, [
      revocationMessage({ kind: 'token', jti, expiresAt: Date.now() + 300_000, reason: 'logout' }),
      revocationMessage({ kind: 'session', sid: 's-session', reason: 'logout' }),
      revocationMessage({ kind: 'subject', sub: 'u-subject', cutoff: Date.now(), reason: 'ban' }),
      await brakeMessage({ kind: 'key', kid: otherKey.kid, reason: 'key-compromise' }),
    ]);
    for (const [kind, token] of Object.entries(tokens)) {
      const error = await waitFor(
        () =>
          verifier.verify(token).then(
            () => undefined,
            (e: unknown) => e,
          ),
        { timeoutMs: 30_000, description: `${kind} revocation applied` },
      );
      expect(error).toMatchObject({ code: 'TOKEN_REVOKED', kind });
    }
    expect(await outcome(verifier, bystander)).toBe('ok');
    expect(new Set(revoked.map((r) => r.kind))).toEqual(
      new Set(['token', 'session', 'subject', 'key']),
    );

    await publish(topic, [
      await brakeMessage({
        kind: 'global',
        cutoff: Date.now(),
        generation: 1,
        reason: 'emergency',
      }),
    ]);
    await waitFor(async () => (await outcome(verifier, bystander)) === 'TOKEN_REVOKED', {
      timeoutMs: 30_000,
      description: 'global revocation applied',
    });
    // A token of the new global generation passes, even when issued within the cutoff's second.
    expect(await outcome(verifier, await mint(key, { claims: { ggen: 1 } }))).toBe('ok');
    expect(verifier.stats()).toMatchObject({
      ready: true,
      stale: false,
      rulesByKind: { token: 1, session: 1, subject: 1, key: 1, global: 1 },
      applied: 5,
      totalLag: 0,
    });
  });

  it('answers NOT_READY before its replay, then rejects all N earlier revocations from its first ready moment', async () => {
    const topic = await revocationTopic();
    const count = 300;
    const tokens: string[] = [];
    const messages: OutgoingRecord[] = [];
    for (let i = 0; i < count; i++) {
      const jti = randomUUID();
      tokens.push(await mint(key, { claims: { jti, sub: `u-${i}` } }));
      messages.push(
        revocationMessage({
          kind: 'token',
          jti,
          expiresAt: Date.now() + 300_000,
          reason: 'logout',
        }),
      );
    }
    for (let i = 0; i < count; i += 50) await publish(topic, messages.slice(i, i + 50));

    const verifier = start(topic);
    expect(await outcome(verifier, tokens[0] ?? '')).toBe('NOT_READY');
    await verifier.ready();
    const outcomes = await Promise.all(tokens.map((token) => outcome(verifier, token)));
    expect(outcomes.filter((o) => o !== 'TOKEN_REVOKED')).toEqual([]);
    expect(verifier.stats()).toMatchObject({ applied: count, rulesByKind: { token: count } });
  });

  it('never becomes ready on a topic that deletes events before their rules may be forgotten', async () => {
    // Tokens live 15 minutes; this topic keeps events one minute.
    const short = uniqueTopic('verifier-int-short');
    await createTopic(brokers, {
      topic: short,
      partitions: 3,
      replicationFactor: 1,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact,delete' },
        { name: 'retention.ms', value: '60000' },
      ],
    });
    const refused = start(short);
    const error = await refused.ready().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_READY', reason: 'TOPIC_RETENTION_TOO_SHORT' });
    expect(refused.stats().topicRetention).toMatchObject([
      { topic: short, sufficient: false, retentionMs: 60_000 },
    ]);
    const token = await earlier(key, { sub: 'u-short', sid: 's-short' });
    expect(await refused.verify(token).catch((e: unknown) => e)).toMatchObject({
      code: 'NOT_READY',
      reason: 'TOPIC_RETENTION_TOO_SHORT',
    });
    // The same verifier on a topic sized by the spec is ready and serves the token.
    const fine = start(await revocationTopic());
    await fine.ready();
    expect(await outcome(fine, token)).toBe('ok');
    expect(fine.stats().topicRetention).toMatchObject([{ sufficient: true }]);
  });

  it('applies revocations published while it was stopped before it is ready again', async () => {
    const topic = await revocationTopic();
    const token = await earlier(key, { sub: 'u-restart', sid: 's-restart' });
    const first = start(topic);
    await first.ready();
    expect(await outcome(first, token)).toBe('ok');
    await first.close();

    await publish(topic, [
      revocationMessage({
        kind: 'subject',
        sub: 'u-restart',
        cutoff: Date.now(),
        reason: 'password-change',
      }),
    ]);

    const restarted = start(topic);
    expect(await outcome(restarted, token)).toBe('NOT_READY');
    await restarted.ready();
    expect(await outcome(restarted, token)).toBe('TOKEN_REVOKED');
  });

  it('skips and counts poison records and keeps applying the valid ones around them', async () => {
    const topic = await revocationTopic();
    const valid = async (i: number) => {
      const token = await earlier(key, { sub: `u-poison-${i}`, sid: `s-poison-${i}` });
      return {
        token,
        message: revocationMessage({ kind: 'session', sid: `s-poison-${i}`, reason: 'logout' }),
      };
    };
    const before = await Promise.all([0, 1, 2, 3].map(valid));
    const futureCutoff = JSON.stringify({
      v: 1,
      id: randomUUID(),
      kind: 'subject',
      sub: 'u-x',
      cutoff: Date.now() + 3_600_000,
      reason: 'ban',
      actor: 'mallory',
      iss: ISSUER,
      issuedAt: Date.now(),
    });
    const unknownVersion = JSON.stringify({
      ...JSON.parse(futureCutoff),
      v: 2,
      cutoff: Date.now(),
    });
    // All on one key, so they land on one partition interleaved with the valid events.
    const messages: OutgoingRecord[] = [
      before[0]!.message,
      { value: 'not json at all {' },
      before[1]!.message,
      { value: JSON.stringify({ v: 1, kind: 'session' }) },
      { value: unknownVersion },
      before[2]!.message,
      { value: futureCutoff },
      { value: JSON.stringify({ v: 1, pad: 'x'.repeat(8_000) }) },
      { value: null },
      before[3]!.message,
    ].map((m) => ({ ...m, key: 'poison-test' }));
    await publish(topic, messages);

    const verifier = start(topic);
    await verifier.ready();
    for (const { token } of before) expect(await outcome(verifier, token)).toBe('TOKEN_REVOKED');
    expect(verifier.stats().poison).toEqual({
      byCode: {
        EVENT_NOT_JSON: 2,
        EVENT_INVALID: 1,
        EVENT_VERSION_UNSUPPORTED: 1,
        CUTOFF_IN_FUTURE: 1,
        EVENT_TOO_LARGE: 1,
      },
      total: 6,
    });
    expect(await outcome(verifier, await earlier(key, { sub: 'u-x' }))).toBe('ok');

    const after = await valid(4);
    await publish(topic, [
      { value: 'more garbage', key: 'poison-test' },
      { ...after.message, key: 'poison-test' },
    ]);
    await waitFor(async () => (await outcome(verifier, after.token)) === 'TOKEN_REVOKED', {
      timeoutMs: 30_000,
      description: 'event after poison applied',
    });
    expect(verifier.stats().poison.byCode.EVENT_NOT_JSON).toBe(3);
  });

  it('waits, NOT_READY, for a revocation topic created after it started', async () => {
    const topic = uniqueTopic('verifier-late');
    const verifier = start(topic);
    const token = await mint(key);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await outcome(verifier, token)).toBe('NOT_READY');
    await createTopic(brokers, { topic, partitions: 3, replicationFactor: 1 });
    await verifier.ready();
    expect(await outcome(verifier, token)).toBe('ok');
  });

  it('deletes its own consumer group on close', async () => {
    const topic = await revocationTopic();
    const clientId = `verifier-group-${randomUUID().slice(0, 8)}`;
    const verifier = start(topic, {
      revocations: kafkaRevocations({ brokers, topic, clientId }),
    });
    await verifier.ready();
    const ours = async () =>
      (await consumerGroups(brokers)).filter((groupId) => groupId.startsWith(`${clientId}-`));
    expect(await ours()).toHaveLength(1);
    await verifier.close();
    await waitFor(async () => (await ours()).length === 0, {
      timeoutMs: 30_000,
      description: 'consumer group deleted',
    });
  });
});
