/**
 * Rule semantics as pure functions. Rules only ever add restriction: merging two rules for the
 * same target keeps the maximum of every threshold, so applying events is idempotent,
 * commutative and associative — duplicates, redelivery, replays and any interleaving across
 * partitions give the same state.
 *
 * Damage is bounded: no rule rejects a token issued at or after its cutoff + the clock
 * tolerance. Generations decide only inside that window (see {@link rejects}).
 */
import { DEFAULT_CLOCK_TOLERANCE_MS } from './clock.js';
import type { RevocationEvent, RevocationReason, RuleKind } from './event.js';

/**
 * The facts about a verified token that revocation rules look at; built from a token's claims by
 * `tokenFactsFromClaims` (access-token.ts), the one place that maps claim names to facts.
 */
export interface TokenFacts {
  /** `jti` claim, if any. */
  readonly jti?: string | undefined;
  /** `sid` claim, if any. */
  readonly sid?: string | undefined;
  /** `sub` claim. */
  readonly sub: string;
  /** `kid` of the JWS protected header, if any. */
  readonly kid?: string | undefined;
  /** Issue time in ms since the epoch; `iat * 1000` for second-resolution tokens. */
  readonly issuedAt: number;
  /** Subject generation at issue (`sgen` claim), if the issuer stamps one. */
  readonly sgen?: number | undefined;
  /** Global generation at issue (`ggen` claim), if the issuer stamps one. */
  readonly ggen?: number | undefined;
  /**
   * The token's issuer (`iss`). A rule rejects only tokens of its own issuer; facts without an
   * issuer are judged by target alone (for callers that hold one issuer's tokens only).
   */
  readonly iss?: string | undefined;
}

/** Fields common to every merged rule. */
interface RuleCommon extends RuleOrder {
  /** The issuer (`iss`) whose tokens this rule rejects: the `iss` of its events. */
  readonly issuer: string;
  /** The reason of the most recent event merged into this rule. */
  readonly reason: RevocationReason;
  /** Id of the most recent event merged into this rule. */
  readonly eventId: string;
  /** Latest `issuedAt` (ms) of the events merged into this rule. */
  readonly updatedAt: number;
}

/**
 * What one token event states about the end of its token's life: the token expires at
 * `expiresAt`, and it was issued before it was revoked at `revokedAt` (the event's `issuedAt`),
 * so it is valid at most one maximum token lifetime past that.
 */
export interface TokenExpiry {
  /** `expiresAt` (ms) stated by the event: the token's `exp`. */
  readonly expiresAt: number;
  /** `issuedAt` (ms) of the event. */
  readonly revokedAt: number;
}

/** Rejects one token by `jti`. */
export interface TokenRule extends RuleCommon {
  readonly kind: 'token';
  readonly target: string;
  /** Latest `exp` (ms) stated for the token: the first of {@link TokenRule.expiries}. */
  readonly expiresAt: number;
  /**
   * The events' {@link TokenExpiry} statements that can decide the rule's forget time, sorted by
   * `revokedAt`: a statement with an earlier (or equal) `expiresAt` *and* `revokedAt` than
   * another ends no later for any token lifetime, so it is dropped. Usually one: the events for
   * a jti state the same `exp`. Kept apart, not as the latest `exp` and the latest event, because
   * pairing one event's `exp` with another's revocation time would keep the rule longer than
   * any of its events asks (see {@link forgetAt}).
   */
  readonly expiries: readonly [TokenExpiry, ...TokenExpiry[]];
}

/** Rejects one session by `sid`. */
export interface SessionRule extends RuleCommon {
  readonly kind: 'session';
  readonly target: string;
}

/** Rejects one signing key by `kid`. */
export interface KeyRule extends RuleCommon {
  readonly kind: 'key';
  readonly target: string;
}

/**
 * A cutoff for one subject (`kind: 'subject'`, target = `sub`) or for everything
 * (`kind: 'global'`, target = `*`).
 */
export interface CutoffRule extends RuleCommon {
  readonly kind: 'subject' | 'global';
  readonly target: string;
  /** Highest cutoff (ms) from events without a generation: applies to every token. */
  readonly cutoff?: number | undefined;
  /**
   * Highest generation stated; tokens carrying a generation claim below it are rejected — if
   * they were issued before {@link CutoffRule.generationCutoff} + the clock tolerance. A rule
   * with a generation but no `generationCutoff` (never built by `ruleFromEvent`/`mergeRules`)
   * has no window, so its generation rejects nothing.
   */
  readonly generation?: number | undefined;
  /**
   * Highest cutoff (ms) from events with a generation: applies to tokens without the claim, and
   * bounds the generation: it decides only for tokens issued before this + the clock tolerance.
   */
  readonly generationCutoff?: number | undefined;
}

/** The merged state for one target: the strongest restriction seen so far. */
export type RevocationRule = TokenRule | SessionRule | KeyRule | CutoffRule;

/** Target of the global rule, in its key `global:*`. */
export const GLOBAL_TARGET = '*';

/** The target an event names: jti, sid, sub, kid, or `*` for global. */
export function eventTarget(event: RevocationEvent): string {
  switch (event.kind) {
    case 'token':
      return event.jti;
    case 'session':
      return event.sid;
    case 'subject':
      return event.sub;
    case 'key':
      return event.kid;
    case 'global':
      return GLOBAL_TARGET;
  }
}

/**
 * The Kafka message key of a rule's events, `kind:issuer:target`, so log compaction keeps the
 * latest event per target *of one issuer*: two issuers' subject `u1` are different people and
 * must not compact each other away. The issuer is percent-encoded (it is a URL, full of `:`),
 * so the key splits unambiguously at its first two colons.
 *
 * @example
 * ```ts
 * ruleKey({ kind: 'session', issuer: 'https://auth', target: 's-1' }) // 'session:https%3A%2F%2Fauth:s-1'
 * ```
 */
export function ruleKey(rule: {
  readonly kind: RuleKind;
  readonly issuer: string;
  readonly target: string;
}): string {
  return `${rule.kind}:${encodeURIComponent(rule.issuer)}:${rule.target}`;
}

/** The message key of an event; see {@link ruleKey}. */
export function eventKey(event: RevocationEvent): string {
  return ruleKey({ kind: event.kind, issuer: event.iss, target: eventTarget(event) });
}

/** Turns one event into the rule it states. */
export function ruleFromEvent(event: RevocationEvent): RevocationRule {
  const common = {
    issuer: event.iss,
    reason: event.reason,
    eventId: event.id,
    updatedAt: event.issuedAt,
  };
  switch (event.kind) {
    case 'token':
      return {
        kind: 'token',
        target: event.jti,
        expiresAt: event.expiresAt,
        expiries: [{ expiresAt: event.expiresAt, revokedAt: event.issuedAt }],
        ...common,
      };
    case 'session':
      return { kind: 'session', target: event.sid, ...common };
    case 'key':
      return { kind: 'key', target: event.kid, ...common };
    case 'subject':
    case 'global': {
      const target = eventTarget(event);
      return event.generation === undefined
        ? { kind: event.kind, target, cutoff: event.cutoff, ...common }
        : {
            kind: event.kind,
            target,
            generation: event.generation,
            generationCutoff: event.cutoff,
            ...common,
          };
    }
  }
}

function maxOptional(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/** What orders merged events: the latest `issuedAt`, then the greatest event id. */
export interface RuleOrder {
  /** `issuedAt` (ms) of the event. */
  readonly updatedAt: number;
  /** Id of the event. */
  readonly eventId: string;
}

/**
 * Is `a` at least as late as `b` by (updatedAt, eventId)? A total order, so choosing the later
 * of two commutes: the merged rule's reason is the reason of the latest event, whatever the
 * order events arrive in.
 *
 * @example
 * ```ts
 * isLaterOrSame({ updatedAt: 2, eventId: 'a' }, { updatedAt: 1, eventId: 'z' }) // true
 * ```
 */
export function isLaterOrSame(a: RuleOrder, b: RuleOrder): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.eventId >= b.eventId;
}

/** The later of two rules by (updatedAt, eventId); see {@link isLaterOrSame}. */
function later<R extends RuleCommon>(a: R, b: R): R {
  return isLaterOrSame(a, b) ? a : b;
}

/**
 * The statements of both lists that can decide a forget time (see {@link TokenRule.expiries}),
 * in one canonical order, so merging stays idempotent, commutative and associative.
 */
function mergeExpiries(
  a: readonly TokenExpiry[],
  b: readonly TokenExpiry[],
): readonly [TokenExpiry, ...TokenExpiry[]] {
  const all = [...a, ...b].sort((x, y) => x.revokedAt - y.revokedAt || x.expiresAt - y.expiresAt);
  // From the latest revocation back, keep a statement only if it expires later than every one
  // kept so far: each of those was revoked at least as late, so this one would decide nothing.
  const kept: TokenExpiry[] = [];
  let latestKept = -Infinity;
  for (const expiry of all.reverse()) {
    if (expiry.expiresAt > latestKept) {
      kept.push(expiry);
      latestKept = expiry.expiresAt;
    }
  }
  kept.reverse();
  const [first, ...rest] = kept;
  if (first === undefined) throw new TypeError('a token rule states at least one expiry');
  return [first, ...rest];
}

/**
 * Merges two rules for the same target into one that rejects what either rejects. Idempotent,
 * commutative and associative. Exactly the union, except for subject and global rules whose
 * generations and cutoffs are not ordered alike (a higher generation with an earlier cutoff):
 * the merged rule keeps the highest generation with the latest cutoff, so its window can reject
 * a token with a generation between the two that neither event rejects on its own — a superset,
 * and still nothing issued at or after the latest cutoff + tolerance. Issuers bump generations
 * as their cutoffs advance, so for their events the merge is exact; where skewed clocks invert
 * the two, the extra tokens rejected carry a generation older than the latest bump, minted
 * before it in the issuer's commit order. In time the merge is exact for every kind: the merged
 * rule is forgotten when the last of its events alone would be (see {@link forgetAt}).
 *
 * @throws TypeError when the rules are for different targets or issuers.
 */
export function mergeRules(a: RevocationRule, b: RevocationRule): RevocationRule {
  if (a.kind !== b.kind || a.target !== b.target || a.issuer !== b.issuer) {
    throw new TypeError(`cannot merge ${ruleKey(a)} with ${ruleKey(b)}`);
  }
  const newest = later(a, b);
  const common = {
    issuer: a.issuer,
    reason: newest.reason,
    eventId: newest.eventId,
    updatedAt: newest.updatedAt,
  };
  switch (a.kind) {
    case 'token': {
      const expiries = mergeExpiries(a.expiries, (b as TokenRule).expiries);
      return {
        kind: 'token',
        target: a.target,
        expiresAt: expiries[0].expiresAt,
        expiries,
        ...common,
      };
    }
    case 'session':
    case 'key':
      return { kind: a.kind, target: a.target, ...common };
    case 'subject':
    case 'global': {
      const other = b as CutoffRule;
      const cutoff = maxOptional(a.cutoff, other.cutoff);
      const generation = maxOptional(a.generation, other.generation);
      const generationCutoff = maxOptional(a.generationCutoff, other.generationCutoff);
      return {
        kind: a.kind,
        target: a.target,
        ...common,
        ...(cutoff === undefined ? {} : { cutoff }),
        ...(generation === undefined ? {} : { generation, generationCutoff }),
      };
    }
  }
}

/**
 * Does a cutoff rule reject a token, given the token's generation claim for this rule's scope?
 * The generation check is exact inside the window up to `generationCutoff` + tolerance; past
 * it nothing of the generation part rejects (bounded damage). The time check is the fallback for
 * tokens without the claim.
 */
function cutoffRejects(
  rule: CutoffRule,
  issuedAt: number,
  tokenGeneration: number | undefined,
  options: RejectOptions | undefined,
) {
  if (rule.cutoff !== undefined && issuedAt < rule.cutoff) return true;
  const generationCutoff = rule.generationCutoff;
  if (rule.generation === undefined || generationCutoff === undefined) return false;
  // Written as `>=`, not `!(<)`: a NaN tolerance then leaves the generation unbounded (rejecting
  // more), never lets an old-generation token through.
  const toleranceMs = options?.clockToleranceMs ?? DEFAULT_CLOCK_TOLERANCE_MS;
  if (issuedAt >= generationCutoff + toleranceMs) return false;
  if (tokenGeneration !== undefined) return tokenGeneration < rule.generation;
  return issuedAt < generationCutoff;
}

/** Options of {@link rejects}. */
export interface RejectOptions {
  /**
   * Clock tolerance (ms, finite, ≥ 0) between the issuers' instances: how long after a
   * generation rule's cutoff its generation still decides. A token issued at or after
   * `cutoff + clockToleranceMs` is never rejected by the generation part of a subject or global
   * rule. Default {@link DEFAULT_CLOCK_TOLERANCE_MS} (5 s); a verifier passes its own.
   */
  readonly clockToleranceMs?: number | undefined;
}

/**
 * Does this rule reject this token? Pure: it does not look at the clock, so a rule past its
 * forget time still answers as it did (forgetting is the blocklist's job).
 *
 * Subject and global rules reject a token issued before their time `cutoff`; if they carry a
 * `generation`, they also reject, among tokens issued before `generationCutoff +
 * clockToleranceMs`, those whose generation claim (`sgen`/`ggen`) is below it, or which carry
 * no claim and were issued before `generationCutoff`. So no rule rejects a token issued at or
 * after its latest cutoff + the tolerance: a forged or mistaken cutoff costs at most one
 * re-login, however high its generation.
 *
 * @param options - the clock tolerance; pass one object built once on a hot path.
 * @example
 * ```ts
 * rejects(ruleFromEvent(sessionEvent), { sub: 'u1', sid: sessionEvent.sid, issuedAt: 0 }) // true
 * rejects(subjectRule, facts, { clockToleranceMs: 2_000 });
 * ```
 */
export function rejects(rule: RevocationRule, token: TokenFacts, options?: RejectOptions): boolean {
  // A rule speaks for one issuer: another issuer's subject `u1` is someone else.
  if (token.iss !== undefined && token.iss !== rule.issuer) return false;
  switch (rule.kind) {
    case 'token':
      return token.jti === rule.target;
    case 'session':
      return token.sid === rule.target;
    case 'key':
      return token.kid === rule.target;
    case 'subject':
      return token.sub === rule.target && cutoffRejects(rule, token.issuedAt, token.sgen, options);
    case 'global':
      return cutoffRejects(rule, token.issuedAt, token.ggen, options);
  }
}

/** The token-lifetime policy that decides when a rule may be forgotten. */
export interface ForgetPolicy {
  /** Longest lifetime (`exp − iat`) a verifier accepts, in ms. */
  readonly maxTokenLifetimeMs: number;
  /** Clock tolerance the verifier grants on `exp`/`iat`, in ms. */
  readonly clockToleranceMs: number;
}

/**
 * The instant (ms) after which no token this rule rejects can still be valid, so the rule may
 * be dropped. A token rule ends when its token can no longer be valid by what one of its events
 * states: the event's `expiresAt`, or one maximum lifetime past the event (the token was issued
 * before it), whichever comes first — so a far-future `expiresAt` cannot pin memory. Every other
 * rule lives for one maximum token lifetime past its latest cutoff or event. All plus the clock
 * tolerance.
 *
 * A merged rule is kept exactly as long as the longest-lived of its events alone:
 * `forgetAt(mergeRules(a, b)) === Math.max(forgetAt(a), forgetAt(b))`, for every kind and policy.
 * So dropping an event already past its forget time, or a rule past its own, loses nothing a
 * later event could bring back, and a blocklist may keep the forget time alone.
 *
 * @example
 * ```ts
 * const policy = { maxTokenLifetimeMs: 900_000, clockToleranceMs: 0 };
 * // Revoked at 0 with exp 1_000_000, and at 500_000 with exp 600_000: kept until 900_000.
 * forgetAt(mergeRules(ruleFromEvent(first), ruleFromEvent(second)), policy) // 900_000
 * ```
 */
export function forgetAt(rule: RevocationRule, policy: ForgetPolicy): number {
  const tolerance = policy.clockToleranceMs;
  switch (rule.kind) {
    case 'token': {
      let latest = -Infinity;
      for (const { expiresAt, revokedAt } of rule.expiries) {
        latest = Math.max(latest, Math.min(expiresAt, revokedAt + policy.maxTokenLifetimeMs));
      }
      return latest + tolerance;
    }
    case 'session':
    case 'key':
      return rule.updatedAt + policy.maxTokenLifetimeMs + tolerance;
    case 'subject':
    case 'global': {
      const latest = Math.max(
        rule.updatedAt,
        rule.cutoff ?? -Infinity,
        rule.generationCutoff ?? -Infinity,
      );
      return latest + policy.maxTokenLifetimeMs + tolerance;
    }
  }
}

/**
 * Does `next` — `previous` merged with more events for the same target — reject some token that
 * `previous` did not? True whenever it does, so a caller that acts on new restrictions (closing
 * the connections of newly revoked tokens) misses none: a raised cutoff, generation or
 * generation cutoff. It may also answer true when the raised threshold hides behind another
 * (a generation raised inside a window the time cutoff already covers); re-checking then finds
 * nothing new.
 *
 * @example
 * ```ts
 * cutoffTightened(subjectRule, mergeRules(subjectRule, ruleFromEvent(laterLogoutAll))) // true
 * cutoffTightened(subjectRule, mergeRules(subjectRule, subjectRule)) // false
 * ```
 */
export function cutoffTightened(previous: CutoffRule, next: CutoffRule): boolean {
  const grew = (before: number | undefined, after: number | undefined) =>
    after !== undefined && (before === undefined || after > before);
  return (
    grew(previous.cutoff, next.cutoff) ||
    grew(previous.generation, next.generation) ||
    grew(previous.generationCutoff, next.generationCutoff)
  );
}
