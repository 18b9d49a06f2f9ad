/**
 * The rules a topic states today: its events folded by `ruleKey` with `mergeRules`, as every
 * verifier that replays it would hold them, counted by kind and by issuer.
 */
import { RULE_KINDS, mergeRules, ruleFromEvent, ruleKey } from '@revocation-fabric/protocol';
import type { RevocationRule, RuleKind } from '@revocation-fabric/protocol';
import type { LoggedRevocation } from '../../revocation-log.js';

/** Distinct rules and the records they were read from. */
export interface RuleCensus {
  readonly records: number;
  /** Records that are no valid event. */
  readonly invalid: number;
  /** Distinct rules (one per `kind:issuer:target`). */
  readonly rules: number;
  readonly byKind: Readonly<Record<RuleKind, number>>;
  readonly byIssuer: Readonly<Record<string, number>>;
  /** Brake events without a signature: verifiers refuse them (BRAKE_UNSIGNED). */
  readonly unsignedBrakes: number;
}

/** Folds the records into rules and counts them. */
export function ruleCensus(records: readonly LoggedRevocation[]): RuleCensus {
  const rules = new Map<string, RevocationRule>();
  let invalid = 0;
  let unsignedBrakes = 0;
  for (const record of records) {
    const event = record.event;
    if (event === undefined) {
      invalid += 1;
      continue;
    }
    if ((event.kind === 'key' || event.kind === 'global') && !record.signed) {
      // A verifier refuses an unsigned brake: it states no rule.
      unsignedBrakes += 1;
      continue;
    }
    const rule = ruleFromEvent(event);
    const key = ruleKey(rule);
    const held = rules.get(key);
    rules.set(key, held === undefined ? rule : mergeRules(held, rule));
  }
  const byKind = Object.fromEntries(RULE_KINDS.map((kind) => [kind, 0])) as Record<
    RuleKind,
    number
  >;
  const byIssuer: Record<string, number> = {};
  for (const rule of rules.values()) {
    byKind[rule.kind] += 1;
    byIssuer[rule.issuer] = (byIssuer[rule.issuer] ?? 0) + 1;
  }
  return { records: records.length, invalid, rules: rules.size, byKind, byIssuer, unsignedBrakes };
}
