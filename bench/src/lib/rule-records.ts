/**
 * The records of a rule topic (see `fillRuleTopic` in kafka.ts): many live rules of the
 * {@link RULE_MIX}, plus the two rules every benchmark token's lookup must evaluate. Building
 * them needs no Kafka client, so it lives apart from the bench's one Kafka file.
 */
import { randomUUID } from 'node:crypto';
import {
  REVOCATION_SIGNATURE_HEADER,
  createEvent,
  encodeEvent,
  eventKey,
} from '@revocation-fabric/protocol';
import type {
  RevocationEvent,
  RuleKind,
  SessionRevocation,
  SubjectRevocation,
  TokenRevocation,
} from '@revocation-fabric/protocol';
import { signBenchBrake } from './brake-key.js';
import { BENCH_ISSUER, BENCH_SUBJECT, TOKEN_LIFETIME_S } from './tokens.js';

/** One record to produce: the event's key and its JSON. */
export interface RuleRecord {
  readonly key: string;
  readonly value: string;
  /** Record headers: the global cutoff's brake signature. */
  readonly headers?: Record<string, string>;
}

/** Share of each kind among the rules of a rule topic (the rest are one-offs, see below). */
export const RULE_MIX: Readonly<Partial<Record<RuleKind, number>>> = {
  token: 0.85,
  session: 0.1,
  subject: 0.05,
};

/** Validated events the bulk records are spread from. */
export interface Templates {
  readonly token: TokenRevocation;
  readonly session: SessionRevocation;
  readonly subject: SubjectRevocation;
}

/** The templates of a topic filled at `now`. */
export function templates(now: number): Templates {
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
export function kindAt(index: number): 'token' | 'session' | 'subject' {
  const slot = index % 100;
  return slot < 85 ? 'token' : slot < 95 ? 'session' : 'subject';
}

/**
 * One bulk record of a rule topic. Built by spreading a validated template rather than through
 * `createEvent` per record: schema validation would triple the load time, and the verifier
 * validates every record it reads anyway.
 */
export function ruleRecord(template: Templates, kind: 'token' | 'session' | 'subject'): RuleRecord {
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
 * A subject rule for {@link BENCH_SUBJECT} and a global rule, both with a cutoff in the past, so
 * a benchmark token's lookup walks every map and evaluates both cutoffs without being rejected.
 * The global rule is a brake: signed with the benchmark's brake key (brake-key.ts), which every
 * benchmark verifier trusts, so it is applied as the user-service's would be.
 */
export async function cutoffRecords(now: number): Promise<RuleRecord[]> {
  const envelope = { actor: 'bench', iss: BENCH_ISSUER, issuedAt: now - 1_000 } as const;
  return [
    encodeEvent(
      createEvent({
        ...envelope,
        reason: 'password-change',
        kind: 'subject',
        sub: BENCH_SUBJECT,
        cutoff: now - 1_000,
      }),
    ),
    await signed(
      encodeEvent(
        createEvent({ ...envelope, reason: 'emergency', kind: 'global', cutoff: now - 1_000 }),
      ),
    ),
  ];
}

async function signed(record: RuleRecord): Promise<RuleRecord> {
  return {
    ...record,
    headers: { [REVOCATION_SIGNATURE_HEADER]: await signBenchBrake(record.value) },
  };
}
