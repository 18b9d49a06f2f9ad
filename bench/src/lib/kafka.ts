/**
 * Kafka for the benchmarks: the broker the testkit picks (`KAFKA_BROKERS`, else the local jar
 * broker), revocation topics, and topics filled with many live rules.
 */
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  encodeEvent,
  ensureRevocationTopic,
  eventKey,
} from '@revocation-fabric/protocol';
import type {
  RevocationEvent,
  RuleKind,
  SessionRevocation,
  SubjectRevocation,
  TokenRevocation,
} from '@revocation-fabric/protocol';
import { uniqueTopic } from '@revocation-fabric/testkit';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { Message } from 'kafkajs';
import { BENCH_ISSUER, BENCH_SUBJECT, TOKEN_LIFETIME_S } from './tokens.js';

/** The verifier's default maximum token lifetime, ms; topic retention derives from it. */
export const MAX_TOKEN_LIFETIME_MS = 900_000;

function client(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
}

/** Creates a revocation topic (6 partitions, the protocol's configuration). */
export async function createRevocationTopic(
  brokers: readonly string[],
  topic: string,
  replicationFactor = 1,
): Promise<void> {
  const admin = client(brokers, 'bench-admin').admin();
  await admin.connect();
  try {
    await ensureRevocationTopic(admin, {
      topic,
      maxTokenLifetimeMs: MAX_TOKEN_LIFETIME_MS,
      replicationFactor,
    });
  } finally {
    await admin.disconnect();
  }
}

/** Deletes topics, ignoring failures (cleanup). */
export async function deleteTopics(
  brokers: readonly string[],
  topics: readonly string[],
): Promise<void> {
  if (topics.length === 0) return;
  const admin = client(brokers, 'bench-admin').admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: [...topics], timeout: 30_000 });
  } catch {
    // Best effort: a leftover topic only costs the broker disk until its retention ends.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Share of each kind among the rules of a rule topic (the rest are one-offs, see below). */
export const RULE_MIX: Readonly<Partial<Record<RuleKind, number>>> = {
  token: 0.85,
  session: 0.1,
  subject: 0.05,
};

/** A topic holding `count` live rules. */
export interface RuleTopic {
  readonly topic: string;
  readonly count: number;
  readonly byKind: Readonly<Partial<Record<RuleKind, number>>>;
  /** Time to produce it, ms. */
  readonly loadMs: number;
}

interface Templates {
  readonly token: TokenRevocation;
  readonly session: SessionRevocation;
  readonly subject: SubjectRevocation;
}

function templates(now: number): Templates {
  const envelope = { reason: 'logout', actor: 'bench', iss: BENCH_ISSUER, issuedAt: now } as const;
  // createEvent validates; its return type is the union, the kind is the one asked for.
  return {
    token: createEvent({
      ...envelope,
      kind: 'token',
      jti: randomUUID(),
      expiresAt: now + TOKEN_LIFETIME_S * 1000,
    }) as TokenRevocation,
    session: createEvent({ ...envelope, kind: 'session', sid: randomUUID() }) as SessionRevocation,
    subject: createEvent({
      ...envelope,
      reason: 'logout-all',
      kind: 'subject',
      sub: randomUUID(),
      cutoff: now,
    }) as SubjectRevocation,
  };
}

/** The kind of the `index`-th bulk record: 85 % token, 10 % session, 5 % subject. */
function kindAt(index: number): 'token' | 'session' | 'subject' {
  const slot = index % 100;
  return slot < 85 ? 'token' : slot < 95 ? 'session' : 'subject';
}

/**
 * One record of a rule topic. Built by spreading a validated template rather than through
 * `createEvent` per record: schema validation would triple the load time, and the verifier
 * validates every record it reads anyway.
 */
function ruleRecord(template: Templates, kind: 'token' | 'session' | 'subject'): Message {
  const id = randomUUID();
  const target = randomUUID();
  const event: RevocationEvent =
    kind === 'token'
      ? { ...template.token, id, jti: target }
      : kind === 'session'
        ? { ...template.session, id, sid: target }
        : { ...template.subject, id, sub: target };
  return { key: eventKey(event), value: JSON.stringify(event) };
}

/**
 * Creates a topic and produces `count` live rules into it: the {@link RULE_MIX}, plus a subject
 * rule for {@link BENCH_SUBJECT} and a global rule, both with a cutoff in the past, so a
 * benchmark token's lookup walks every map and evaluates both cutoffs without being rejected.
 */
export async function fillRuleTopic(brokers: readonly string[], count: number): Promise<RuleTopic> {
  const topic = uniqueTopic(`bench-rules-${count}`);
  await createRevocationTopic(brokers, topic);
  const started = performance.now();
  const now = Date.now();
  const template = templates(now);
  const envelope = { actor: 'bench', iss: BENCH_ISSUER, issuedAt: now - 1_000 } as const;
  const special = [
    encodeEvent(
      createEvent({
        ...envelope,
        reason: 'password-change',
        kind: 'subject',
        sub: BENCH_SUBJECT,
        cutoff: now - 1_000,
      }),
    ),
    encodeEvent(
      createEvent({ ...envelope, reason: 'emergency', kind: 'global', cutoff: now - 1_000 }),
    ),
  ];
  const producer = client(brokers, 'bench-loader').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const byKind: Partial<Record<RuleKind, number>> = { subject: 1, global: 1 };
  try {
    await producer.send({ topic, acks: -1, messages: special });
    const bulk = count - special.length;
    const CHUNK = 2_000;
    const IN_FLIGHT = 4;
    let pending: Promise<unknown>[] = [];
    for (let start = 0; start < bulk; start += CHUNK) {
      const messages: Message[] = [];
      for (let i = start; i < Math.min(bulk, start + CHUNK); i++) {
        const kind = kindAt(i);
        messages.push(ruleRecord(template, kind));
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      // acks=-1 so every record is below the high-water mark before anyone times a replay.
      pending.push(
        producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages }),
      );
      if (pending.length >= IN_FLIGHT) {
        await Promise.all(pending);
        pending = [];
      }
    }
    await Promise.all(pending);
  } finally {
    await producer.disconnect();
  }
  return { topic, count, byKind, loadMs: Math.round(performance.now() - started) };
}
