/**
 * The in-memory set of revocation rules, one map per kind so every lookup is O(1).
 *
 * Token rules are by far the most numerous (one per logout), so they are stored compactly: one
 * small entry per jti holding the forget time and the reason packed into one small integer
 * (lib/packed-token-rule.ts), and the order (`issuedAt`, event id) of the event the reason came
 * from, so a second event for the same jti merges its reason exactly as the protocol's
 * `mergeRules` does. Its forget time is the latest of its events' own `forgetAt`, which is the
 * protocol's `forgetAt` of their merged rule (`forgetAt(mergeRules(a, b))` is the max of the
 * two, a protocol property). The rarer kinds keep the protocol's merged rule objects, and
 * subject and global rules are judged by the protocol's `rejects` with this blocklist's clock
 * tolerance: a generation decides only for tokens issued before its cutoff + that tolerance
 * (bounded damage). A property test holds the blocklist's verdicts, reasons and forget times to
 * the protocol's functions.
 */
import {
  cutoffTightened,
  forgetAt,
  isLaterOrSame,
  mergeRules,
  rejects,
  ruleFromEvent,
} from '@revocation-fabric/protocol';
import type {
  CutoffRule,
  ForgetPolicy,
  KeyRule,
  RejectOptions,
  RevocationEvent,
  RevocationReason,
  RevocationRule,
  RuleKind,
  RuleOrder,
  SessionRule,
  TokenFacts,
} from '@revocation-fabric/protocol';
import { isFrozenColumns } from './lib/blocklist-state.js';
import type { BlocklistState, TokenRulesState } from './lib/blocklist-state.js';
import { FrozenTokens } from './lib/frozen-tokens.js';
import { packToken, packedForgetAt, tokenForgetAt, tokenReason } from './lib/packed-token-rule.js';
import type { TokenEntry } from './lib/packed-token-rule.js';
import { validateDuration, validateInteger, validateRequiredDuration } from './lib/validate.js';

/** Options of {@link Blocklist}. */
export interface BlocklistOptions {
  /**
   * Longest token lifetime (`exp − iat`) the verifier accepts, in ms. Decides when rules other
   * than token rules may be forgotten. Required.
   */
  readonly maxTokenLifetimeMs: number;
  /**
   * Clock tolerance granted on `exp`/`iat`, in ms. Default 5000. Also how long after a subject or
   * global rule's cutoff its generation still decides (the protocol's `rejects`): a token issued
   * at or after cutoff + tolerance is never rejected by a generation.
   */
  readonly clockToleranceMs?: number | undefined;
  /** The clock, in ms since the epoch. Default `() => Date.now()`. */
  readonly now?: (() => number) | undefined;
  /**
   * The issuer whose rules this blocklist holds; events of any other issuer are refused with a
   * TypeError. Required: token, session and key lookups go by target alone, so one blocklist
   * must never mix issuers (two issuers' `sid` values may collide).
   */
  readonly issuer: string;
}

/** Which rule rejected a token. */
export interface RevocationMatch {
  /** The kind of the matching rule. */
  readonly kind: RuleKind;
  /** The reason of the matching rule. */
  readonly reason: RevocationReason;
}

/** Number of stored rules per kind (rules past their forget time count until purged). */
export type RuleCounts = Readonly<Record<RuleKind, number>>;

/** A rule with its forget time (ms), computed once when stored. */
interface Stored<R extends RevocationRule> {
  readonly rule: R;
  readonly forgetAt: number;
}

/**
 * A private, flat copy of a string. A string cut from a larger one (a V8 sliced string) keeps
 * its whole parent alive, and a concatenation (cons string) keeps its parts: stored for up to a
 * token lifetime, either would multiply memory per rule. The JSON round trip allocates a fresh
 * sequential string and, unlike a UTF-8 round trip, preserves lone surrogates exactly, so the
 * stored key still equals the claim it must match.
 */
function ownString(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

type SweepKind = 'token' | 'session' | 'subject' | 'key';
const SWEEP_ORDER: readonly SweepKind[] = ['token', 'session', 'subject', 'key'];

/**
 * The revocation rules in force, merged per target with the protocol's max/union semantics.
 * Applying events is idempotent and order-independent. Rules past their forget time are
 * ignored by lookups at once and removed by {@link Blocklist.purge} a little later.
 *
 * @example
 * ```ts
 * const blocklist = new Blocklist({ maxTokenLifetimeMs: 15 * 60_000, issuer: 'https://auth.example' });
 * blocklist.apply(decodeEvent(message.value));
 * const match = blocklist.check({ sub: 'u1', jti: 't1', issuedAt: iat * 1000 });
 * if (match) throw new TokenRevokedError(match);
 * ```
 */
export class Blocklist {
  readonly #policy: ForgetPolicy;
  /** Passed to the protocol's `rejects` on every subject and global lookup: built once. */
  readonly #rejectOptions: RejectOptions;
  readonly #now: () => number;
  readonly #issuer: string;
  readonly #tokens = new Map<string, TokenEntry>();
  /**
   * Token rules restored from a snapshot's byte columns (lib/frozen-tokens.ts). A jti in
   * `#tokens` shadows its frozen rule: every change to a frozen rule is made there, merged.
   */
  #frozen: FrozenTokens | undefined;
  readonly #sessions = new Map<string, Stored<SessionRule>>();
  readonly #subjects = new Map<string, Stored<CutoffRule>>();
  readonly #keys = new Map<string, Stored<KeyRule>>();
  #global: Stored<CutoffRule> | undefined;
  // The purge cursor: a live Map iterator survives deletions and insertions, so a sweep can
  // resume where the previous one stopped without a timer or a sorted index per entry.
  #sweepKind = 0;
  #sweep: Iterator<[string, TokenEntry | Stored<RevocationRule>]> | undefined;

  constructor(options: BlocklistOptions) {
    this.#policy = {
      maxTokenLifetimeMs: validateRequiredDuration(
        options.maxTokenLifetimeMs,
        'maxTokenLifetimeMs',
        1,
      ),
      clockToleranceMs: validateDuration(options.clockToleranceMs, 5_000, 'clockToleranceMs'),
    };
    this.#rejectOptions = { clockToleranceMs: this.#policy.clockToleranceMs };
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new TypeError('now must be a function returning ms since the epoch');
    }
    this.#now = options.now ?? (() => Date.now());
    if (typeof options.issuer !== 'string' || options.issuer === '') {
      throw new TypeError('issuer must be a non-empty string');
    }
    this.#issuer = options.issuer;
  }

  /**
   * Applies one event.
   *
   * @returns the rule now in force for the event's target when the event newly restricts (it
   *   rejects some token that was accepted before; for subject and global rules the protocol's
   *   `cutoffTightened`, which never misses one), otherwise `undefined`: a duplicate, a weaker
   *   event, or one already past its forget time.
   */
  apply(event: RevocationEvent): RevocationRule | undefined {
    if (event.iss !== this.#issuer) {
      throw new TypeError(`blocklist of ${this.#issuer} given an event of ${event.iss}`);
    }
    const now = this.#now();
    const incoming = ruleFromEvent(event);
    // An event past its own forget time adds nothing: a merged rule is forgotten when the last
    // of its events alone would be (protocol's forgetAt), so it cannot keep a live rule longer.
    // A token rule is held to its forget time rounded up to the packed step, and its event is
    // judged by that too, so a jti is held exactly as long whenever its events arrive.
    const incomingForgetAt = forgetAt(incoming, this.#policy);
    const heldUntil =
      incoming.kind === 'token' ? packedForgetAt(incomingForgetAt) : incomingForgetAt;
    if (heldUntil < now) return undefined;
    if (incoming.kind === 'token') {
      const fresh = this.#putToken(
        incoming.target,
        incomingForgetAt,
        incoming.reason,
        incoming,
        now,
        ownString,
      );
      return fresh ? incoming : undefined;
    }
    return this.#applyRule(incoming, now, ownString);
  }

  /**
   * The live rules as plain data (JSON-safe), for a snapshot: {@link Blocklist.restoreState} of
   * it into any blocklist of the same issuer and policy, before or after other events, gives
   * the verdicts of applying everything (a property test holds it to a full replay).
   */
  exportState(): BlocklistState {
    const now = this.#now();
    const targets: string[] = [];
    const packed: number[] = [];
    const updatedAt: number[] = [];
    const eventIds: string[] = [];
    for (const [target, entry] of this.#tokens) {
      if (tokenForgetAt(entry.packed) < now) continue;
      targets.push(target);
      packed.push(entry.packed);
      updatedAt.push(entry.updatedAt);
      eventIds.push(entry.eventId);
    }
    const frozen = this.#frozen;
    for (let i = 0; frozen !== undefined && i < frozen.count; i++) {
      if (tokenForgetAt(frozen.packed(i)) < now) continue;
      const target = frozen.target(i);
      if (this.#tokens.has(target)) continue;
      const order = frozen.order(i);
      targets.push(target);
      packed.push(frozen.packed(i));
      updatedAt.push(order.updatedAt);
      eventIds.push(order.eventId);
    }
    const live = <R extends RevocationRule>(map: Map<string, Stored<R>>): R[] =>
      [...map.values()].filter((stored) => stored.forgetAt >= now).map(({ rule }) => rule);
    return {
      issuer: this.#issuer,
      tokens: { targets, packed, updatedAt, eventIds },
      sessions: live(this.#sessions),
      subjects: live(this.#subjects),
      keys: live(this.#keys),
      global: this.#live(this.#global, now)?.rule ?? null,
    };
  }

  /**
   * Merges a state exported by {@link Blocklist.exportState} (of this issuer) into this
   * blocklist, with the same max/union semantics as {@link Blocklist.apply}: restoring is
   * idempotent and commutes with applying events. Notifies nothing.
   *
   * Data read back from a file is checked by `checkBlocklistState` first.
   *
   * @throws TypeError when `state` is another issuer's.
   */
  restoreState(state: BlocklistState): void {
    if (state.issuer !== this.#issuer) {
      throw new TypeError(`blocklist of ${this.#issuer} given a state of ${state.issuer}`);
    }
    const { tokens, sessions, subjects, keys, global } = state;
    const now = this.#now();
    // Strings read from a snapshot are flat already: no copy (ownString) needed.
    const asIs = (value: string) => value;
    if (isFrozenColumns(tokens)) this.#restoreFrozen(new FrozenTokens(tokens), now);
    else this.#restoreTokens(tokens, now, asIs);
    for (const rule of [...sessions, ...subjects, ...keys, ...(global === null ? [] : [global])]) {
      if (forgetAt(rule, this.#policy) >= now) this.#applyRule(rule, now, asIs);
    }
  }

  /**
   * Keeps a snapshot's frozen token rules, merged with the rules already held: a jti held in
   * both is merged into `#tokens`, which shadows the frozen rule. A second frozen set (a second
   * restore, rare) is merged into `#tokens` whole.
   */
  #restoreFrozen(frozen: FrozenTokens, now: number): void {
    const asIs = (value: string) => value;
    if (this.#frozen !== undefined) {
      for (let i = 0; i < frozen.count; i++) {
        const entry = frozen.packed(i);
        if (tokenForgetAt(entry) < now) continue;
        const order = frozen.order(i);
        this.#putToken(
          frozen.target(i),
          tokenForgetAt(entry),
          tokenReason(entry),
          order,
          now,
          asIs,
        );
      }
      return;
    }
    // Rules held before the snapshot arrived (its tail read first) merge with their frozen
    // twins now; every later event for a frozen jti merges as it arrives (#putToken).
    const held = [...this.#tokens].filter(([target]) => frozen.find(target) >= 0);
    this.#frozen = frozen;
    for (const [target, entry] of held) {
      this.#tokens.delete(target);
      const index = frozen.find(target);
      const frozenEntry = frozen.packed(index);
      if (tokenForgetAt(frozenEntry) >= now) {
        this.#tokens.set(target, { packed: frozenEntry, ...frozen.order(index) });
      }
      if (tokenForgetAt(entry.packed) >= now) {
        const order = { updatedAt: entry.updatedAt, eventId: entry.eventId };
        this.#putToken(
          target,
          tokenForgetAt(entry.packed),
          tokenReason(entry.packed),
          order,
          now,
          asIs,
        );
      }
    }
  }

  /** Merges token rules given as string columns. */
  #restoreTokens(tokens: TokenRulesState, now: number, asIs: (value: string) => string): void {
    const { targets, packed, updatedAt, eventIds } = tokens;
    // A state holds each jti once: into an empty map (a start), nothing can merge.
    const empty = this.#tokens.size === 0;
    for (let i = 0; i < targets.length; i++) {
      const entry = packed[i] as number;
      const forget = tokenForgetAt(entry);
      if (forget < now) continue;
      const target = targets[i] as string;
      const eventId = eventIds[i] as string;
      if ((empty || !this.#tokens.has(target)) && this.#frozen === undefined) {
        // The common case (a start): stored as exported, with no merge to compute.
        this.#tokens.set(target, { packed: entry, updatedAt: updatedAt[i] as number, eventId });
        continue;
      }
      const order = { updatedAt: updatedAt[i] as number, eventId };
      this.#putToken(target, forget, tokenReason(entry), order, now, asIs);
    }
  }

  /**
   * Finds a rule that rejects a token, looking narrowest kind first (token, session, subject,
   * key, global). Rules past their forget time never match.
   *
   * @param now - the clock reading to judge forget times by, when the caller already read it
   *   for the same decision; default this blocklist's clock.
   * @returns the matching rule's kind and reason, or `undefined` when the token is not revoked.
   */
  check(facts: TokenFacts, now: number = this.#now()): RevocationMatch | undefined {
    // This runs on every verification, cache hit or not. An empty map is skipped without
    // hashing its key (most deployments never hold key rules, many no session rules), and
    // nothing is allocated unless a rule matches.
    if (facts.jti !== undefined) {
      // A jti held in the map is judged by it alone: it shadows a frozen rule it merged.
      const token = this.#tokens.size === 0 ? undefined : this.#tokens.get(facts.jti);
      const packed = token !== undefined ? token.packed : this.#frozen?.packedOf(facts.jti);
      if (packed !== undefined && tokenForgetAt(packed) >= now) {
        return { kind: 'token', reason: tokenReason(packed) };
      }
    }
    if (facts.sid !== undefined && this.#sessions.size !== 0) {
      const session = this.#sessions.get(facts.sid);
      if (session !== undefined && session.forgetAt >= now) {
        return { kind: 'session', reason: session.rule.reason };
      }
    }
    if (this.#subjects.size !== 0) {
      const subject = this.#subjects.get(facts.sub);
      if (
        subject !== undefined &&
        subject.forgetAt >= now &&
        rejects(subject.rule, facts, this.#rejectOptions)
      ) {
        return { kind: 'subject', reason: subject.rule.reason };
      }
    }
    if (facts.kid !== undefined && this.#keys.size !== 0) {
      const key = this.#keys.get(facts.kid);
      if (key !== undefined && key.forgetAt >= now) {
        return { kind: 'key', reason: key.rule.reason };
      }
    }
    const global = this.#global;
    if (
      global !== undefined &&
      global.forgetAt >= now &&
      rejects(global.rule, facts, this.#rejectOptions)
    ) {
      return { kind: 'global', reason: global.rule.reason };
    }
    return undefined;
  }

  /**
   * Removes up to `budget` rules past their forget time, resuming where the previous call
   * stopped. Call it from one interval timer: memory is reclaimed incrementally, without a
   * timer per rule or a pause proportional to the blocklist's size.
   *
   * @param budget - how many stored rules to examine, default 1000.
   * @returns how many rules were removed.
   */
  purge(budget = 1_000): number {
    validateInteger(budget, 1_000, 'budget', 1);
    const now = this.#now();
    let removed = 0;
    if (this.#global !== undefined && this.#global.forgetAt < now) {
      this.#global = undefined;
      removed += 1;
    }
    if (this.#frozen !== undefined && this.#frozen.lastForgetAt < now) {
      removed += this.#frozen.count;
      this.#frozen = undefined;
    }
    // Visit each map at most once per call, so an empty blocklist costs nothing.
    for (
      let examined = 0, mapsVisited = 0;
      examined < budget && mapsVisited <= SWEEP_ORDER.length;
    ) {
      const kind = SWEEP_ORDER[this.#sweepKind] ?? 'token';
      const map = this.#mapOf(kind);
      this.#sweep ??= map.entries();
      const step = this.#sweep.next();
      if (step.done === true) {
        this.#sweep = undefined;
        this.#sweepKind = (this.#sweepKind + 1) % SWEEP_ORDER.length;
        mapsVisited += 1;
        continue;
      }
      examined += 1;
      const [target, value] = step.value;
      const expired = ('packed' in value ? tokenForgetAt(value.packed) : value.forgetAt) < now;
      if (expired) {
        map.delete(target);
        removed += 1;
      }
    }
    return removed;
  }

  /** Number of stored rules per kind. Rules past their forget time count until purged. */
  size(): RuleCounts {
    return {
      // A frozen rule shadowed by the map counts twice until the frozen set is purged whole.
      token: this.#tokens.size + (this.#frozen?.count ?? 0),
      session: this.#sessions.size,
      subject: this.#subjects.size,
      key: this.#keys.size,
      global: this.#global === undefined ? 0 : 1,
    };
  }

  /**
   * Stores a token rule, merged with a live one for the same jti: the later forget time, which
   * is forgetAt of the merged rule, and the reason of the later event by (issuedAt, id), as
   * mergeRules keeps it. `own` copies a string that is kept (see ownString).
   *
   * @returns whether the jti was not rejected before.
   */
  #putToken(
    target: string,
    forgetAtMs: number,
    reason: RevocationReason,
    order: RuleOrder,
    now: number,
    own: (value: string) => string,
  ): boolean {
    const held = this.#tokens.get(target);
    const previous = held ?? this.#frozenEntry(target);
    if (previous !== undefined && tokenForgetAt(previous.packed) >= now) {
      const previousIsNewest = isLaterOrSame(previous, order);
      // A merge with a frozen rule adds the jti to the map: its own copy, as any new key.
      this.#tokens.set(held === undefined ? own(target) : target, {
        packed: packToken(
          Math.max(tokenForgetAt(previous.packed), forgetAtMs),
          previousIsNewest ? tokenReason(previous.packed) : reason,
        ),
        updatedAt: previousIsNewest ? previous.updatedAt : order.updatedAt,
        eventId: previousIsNewest ? previous.eventId : own(order.eventId),
      });
      return false;
    }
    this.#tokens.set(own(target), {
      packed: packToken(forgetAtMs, reason),
      updatedAt: order.updatedAt,
      eventId: own(order.eventId),
    });
    return true;
  }

  /** A frozen rule as an entry of the map, for a merge; `undefined` when there is none. */
  #frozenEntry(target: string): TokenEntry | undefined {
    const frozen = this.#frozen;
    if (frozen === undefined) return undefined;
    const index = frozen.find(target);
    if (index < 0) return undefined;
    const { updatedAt, eventId } = frozen.order(index);
    return { packed: frozen.packed(index), updatedAt, eventId };
  }

  /**
   * Applies a rule other than a token rule; returns it when it newly restricts (see apply).
   * `own` copies the target of a rule stored new (see ownString).
   */
  #applyRule(
    incoming: SessionRule | KeyRule | CutoffRule,
    now: number,
    own: (value: string) => string,
  ): RevocationRule | undefined {
    switch (incoming.kind) {
      case 'session':
        return this.#applyPlain(this.#sessions, incoming, now, own);
      case 'key':
        return this.#applyPlain(this.#keys, incoming, now, own);
      case 'subject': {
        const previous = this.#live(this.#subjects.get(incoming.target), now);
        const next = this.#mergeCutoff(previous, incoming, own);
        this.#subjects.set(next.rule.target, next);
        return previous === undefined || cutoffTightened(previous.rule, next.rule)
          ? next.rule
          : undefined;
      }
      case 'global': {
        const previous = this.#live(this.#global, now);
        const next = this.#mergeCutoff(previous, incoming, own);
        this.#global = next;
        return previous === undefined || cutoffTightened(previous.rule, next.rule)
          ? next.rule
          : undefined;
      }
    }
  }

  #mapOf(kind: SweepKind): Map<string, TokenEntry | Stored<RevocationRule>> {
    switch (kind) {
      case 'token':
        return this.#tokens;
      case 'session':
        return this.#sessions;
      case 'subject':
        return this.#subjects;
      case 'key':
        return this.#keys;
    }
  }

  /**
   * The rule as stored: its own copy of the target, and the issuer's string shared by every
   * rule rather than one copy per event.
   */
  #own<R extends RevocationRule>(rule: R, own: (value: string) => string): R {
    return { ...rule, target: own(rule.target), issuer: this.#issuer };
  }

  #store<R extends RevocationRule>(rule: R): Stored<R> {
    return { rule, forgetAt: forgetAt(rule, this.#policy) };
  }

  #mergeCutoff(
    previous: Stored<CutoffRule> | undefined,
    incoming: CutoffRule,
    own: (value: string) => string,
  ): Stored<CutoffRule> {
    if (previous === undefined) return this.#store(this.#own(incoming, own));
    // mergeRules keeps the kind of its inputs; its return type is just the wider union.
    return this.#store(mergeRules(previous.rule, incoming) as CutoffRule);
  }

  #live<R extends RevocationRule>(
    stored: Stored<R> | undefined,
    now: number,
  ): Stored<R> | undefined {
    return stored !== undefined && stored.forgetAt >= now ? stored : undefined;
  }

  #applyPlain<R extends SessionRule | KeyRule>(
    map: Map<string, Stored<R>>,
    incoming: R,
    now: number,
    own: (value: string) => string,
  ): R | undefined {
    const previous = this.#live(map.get(incoming.target), now);
    if (previous !== undefined) {
      // Already rejected: merging only moves the forget time (and the audit fields) forward.
      map.set(previous.rule.target, this.#store(mergeRules(previous.rule, incoming) as R));
      return undefined;
    }
    const rule = this.#own(incoming, own);
    map.set(rule.target, this.#store(rule));
    return rule;
  }
}
