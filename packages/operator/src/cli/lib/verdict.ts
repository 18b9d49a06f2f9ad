/**
 * Why a token is refused, decided as a verifier decides: every rule event of the topic that
 * rejects the token's facts (`rejects(ruleFromEvent(event), facts)`), brakes only when signed
 * (and, once `brake-check.ts` checked them, only when the signature verifies);
 * then its signature, its claims and its expiry.
 */
import { isBrake, rejects, ruleFromEvent } from '@revocation-fabric/protocol';
import type { RevocationEvent, TokenFacts } from '@revocation-fabric/protocol';
import type { LoggedRevocation } from '../../revocation-log.js';
import { positionText, ruleSentence } from './events.js';
import { count, isoTime, plural, relativeTime } from './text.js';
import type { SignatureCheck } from './token-check.js';

/** A record whose event rejects the token. */
export interface RejectingRecord extends LoggedRevocation {
  readonly event: RevocationEvent;
  /**
   * A verifier applies it: any rule but a brake, and a brake only with its signature (the
   * signature itself is the verifier's to check against the issuer's keys).
   */
  readonly counts: boolean;
  /** A signed brake's signature, once checked against the issuer's keys (`brake-check.ts`). */
  readonly brakeCheck?: 'valid' | 'invalid' | 'not-checked' | undefined;
}

/** The records of a topic that reject a token, earliest event first. */
export interface RejectingRules {
  readonly rejecting: readonly RejectingRecord[];
  readonly recordsRead: number;
  /** Records that are no valid event (skipped by verifiers, ignored here). */
  readonly invalid: number;
}

/** Every record whose rule rejects the token, in the order the events were issued. */
export function rejectingRules(
  records: readonly LoggedRevocation[],
  facts: TokenFacts,
  clockToleranceMs: number,
): RejectingRules {
  const options = { clockToleranceMs };
  const rejecting: RejectingRecord[] = [];
  let invalid = 0;
  for (const record of records) {
    const event = record.event;
    if (event === undefined) {
      invalid += 1;
      continue;
    }
    if (rejects(ruleFromEvent(event), facts, options))
      rejecting.push({ ...record, event, counts: !isBrake(event.kind) || record.signed });
  }
  rejecting.sort(
    (a, b) =>
      a.event.issuedAt - b.event.issuedAt || a.partition - b.partition || a.offset - b.offset,
  );
  return { rejecting, recordsRead: records.length, invalid };
}

/** Why the token is refused, or that nothing refuses it. */
export interface InspectVerdict {
  readonly refused: boolean;
  /** The first reason, in the order a person asking "why was I logged out" wants it. */
  readonly reason: 'revoked' | 'signature' | 'claims' | 'expired' | undefined;
  /** The verdict line. */
  readonly text: string;
}

/** What the verdict is drawn from. */
export interface VerdictFacts {
  readonly topic: string;
  /** `undefined` when the claims kept the topic from being searched. */
  readonly rules: RejectingRules | undefined;
  readonly signature: SignatureCheck;
  /** Why the claims do not fit the access-token contract, if they do not. */
  readonly claimsProblem: string | undefined;
  /** `exp` in ms, if any. */
  readonly expiresAt: number | undefined;
  readonly now: number;
}

/** The sentence of one rejecting rule: what, why, who, when and where. */
export function rejectionText(record: RejectingRecord): string {
  const event = record.event;
  return `${ruleSentence(event)} (reason ${event.reason}) by ${event.actor} at ${isoTime(event.issuedAt)} (event ${event.id}, ${positionText(record)})`;
}

/** Draws the verdict. */
export function inspectVerdict(facts: VerdictFacts): InspectVerdict {
  const { rules, topic } = facts;
  const searched =
    rules === undefined
      ? `${topic} not searched`
      : `not revoked by any rule in ${topic} (${plural(rules.recordsRead, 'record')} read)`;
  const first = rules?.rejecting.find((record) => record.counts);
  if (first !== undefined) {
    const more = (rules?.rejecting.filter((record) => record.counts).length ?? 1) - 1;
    return {
      refused: true,
      reason: 'revoked',
      text: `REFUSED — ${rejectionText(first)}${more > 0 ? `; and ${count(more)} more rule${more === 1 ? '' : 's'}` : ''}`,
    };
  }
  const unsigned = rules?.rejecting.length ?? 0;
  const ignored =
    unsigned > 0 ? `; ${count(unsigned)} unsigned brake${unsigned === 1 ? '' : 's'} ignored` : '';
  if (facts.signature.status === 'invalid')
    return {
      refused: true,
      reason: 'signature',
      text: `REFUSED — signature invalid: ${facts.signature.reason}; ${searched}${ignored}`,
    };
  if (facts.claimsProblem !== undefined)
    return {
      refused: true,
      reason: 'claims',
      text: `REFUSED — claims do not fit the access-token contract (${facts.claimsProblem}); ${searched}`,
    };
  if (facts.expiresAt !== undefined && facts.expiresAt <= facts.now)
    return {
      refused: true,
      reason: 'expired',
      text: `REFUSED — expired at ${isoTime(facts.expiresAt)} (${relativeTime(facts.expiresAt, facts.now)}); ${searched}${ignored}`,
    };
  return { refused: false, reason: undefined, text: `${searched}${ignored}` };
}
