import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RevocationEvent } from './event.js';
import { DEFAULT_CLOCK_TOLERANCE_MS } from './clock.js';
import { REVOCATION_REASONS } from './event.js';
import type { RejectOptions, RevocationRule, TokenFacts } from './rules.js';
import type { CutoffRule } from './rules.js';
import { cutoffTightened, forgetAt, mergeRules, rejects, ruleFromEvent, ruleKey } from './rules.js';

const T0 = 1_800_000_000_000;
const envelope = { v: 1 as const, reason: 'logout' as const, actor: 'u', iss: 'https://issuer' };

/** Folds events into a map of merged rules keyed by `ruleKey`, as a blocklist does. */
function fold(events: readonly RevocationEvent[]): Map<string, RevocationRule> {
  const state = new Map<string, RevocationRule>();
  for (const event of events) {
    const rule = ruleFromEvent(event);
    const key = ruleKey(rule);
    const previous = state.get(key);
    state.set(key, previous ? mergeRules(previous, rule) : rule);
  }
  return state;
}

function rejectedBy(
  state: Map<string, RevocationRule>,
  token: TokenFacts,
  options?: RejectOptions,
): boolean {
  for (const rule of state.values()) if (rejects(rule, token, options)) return true;
  return false;
}

/** Does one of the events, each as a rule of its own, reject the token? */
function rejectedByOne(
  events: readonly RevocationEvent[],
  token: TokenFacts,
  options?: RejectOptions,
): boolean {
  return events.some((e) => rejects(ruleFromEvent(e), token, options));
}

/** The latest cutoff among the cutoff events (subject, global), or undefined if none. */
function latestCutoff(events: readonly RevocationEvent[]): number | undefined {
  let latest: number | undefined;
  for (const e of events) {
    if (
      (e.kind === 'subject' || e.kind === 'global') &&
      (latest === undefined || e.cutoff > latest)
    )
      latest = e.cutoff;
  }
  return latest;
}

// Small alphabets so generated events collide on targets and merges actually happen.
const target = fc.constantFrom('a', 'b', 'c');
const time = fc.integer({ min: T0, max: T0 + 10_000 });
const gen = fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined });
const base = fc.record({
  id: fc.uuid(),
  issuedAt: time,
  reason: fc.constantFrom(...REVOCATION_REASONS),
});

const KINDS = ['token', 'session', 'key', 'subject', 'global'] as const;

/** Clock tolerances to judge by: none, small, the default, and wider than every generated time. */
const tolerance = fc.constantFrom(0, 1, 1_000, DEFAULT_CLOCK_TOLERANCE_MS, 20_000);

/** Events of one kind whose target (jti, sid, kid or sub) is drawn from `targets`. */
function eventOf(
  kind: (typeof KINDS)[number],
  targets: fc.Arbitrary<string>,
): fc.Arbitrary<RevocationEvent> {
  switch (kind) {
    case 'token':
      return fc
        .record({ b: base, jti: targets, expiresAt: time })
        .map(({ b, jti, expiresAt }) => ({ ...envelope, ...b, kind, jti, expiresAt }));
    case 'session':
      return fc
        .record({ b: base, sid: targets })
        .map(({ b, sid }) => ({ ...envelope, ...b, kind, sid }));
    case 'key':
      return fc
        .record({ b: base, kid: targets })
        .map(({ b, kid }) => ({ ...envelope, ...b, kind, kid }));
    case 'subject':
      return fc
        .record({ b: base, sub: targets, cutoff: time, generation: gen })
        .map(({ b, sub, cutoff, generation }) => ({
          ...envelope,
          ...b,
          kind,
          sub,
          cutoff,
          ...(generation === undefined ? {} : { generation }),
        }));
    case 'global':
      return fc
        .record({ b: base, cutoff: time, generation: gen })
        .map(({ b, cutoff, generation }) => ({
          ...envelope,
          ...b,
          kind,
          cutoff,
          ...(generation === undefined ? {} : { generation }),
        }));
  }
}

/** Two issuers, so generated events and tokens of different issuers share targets. */
const issuer = fc.constantFrom('https://issuer', 'https://idp');

const eventArb: fc.Arbitrary<RevocationEvent> = fc
  .tuple(fc.oneof(...KINDS.map((kind) => eventOf(kind, target))), issuer)
  .map(([event, iss]) => ({ ...event, iss }));

/**
 * Events as real issuers write them: a generation is bumped in the same transaction that writes
 * the cutoff, so generations grow with cutoffs. Here the generation *is* a function of the
 * cutoff (its 2-second step), so any two generation events are ordered alike by both: a higher
 * generation never comes with an earlier cutoff. Steps make equal generations with different
 * cutoffs common, as several instances' events of one generation are.
 */
const coMonotoneEventArb: fc.Arbitrary<RevocationEvent> = eventArb.map((event) =>
  (event.kind === 'subject' || event.kind === 'global') && event.generation !== undefined
    ? { ...event, generation: Math.floor((event.cutoff - T0) / 2_000) }
    : event,
);

/** Three events for one and the same rule key, so every generated case merges. */
const sameTargetTriple: fc.Arbitrary<[RevocationEvent, RevocationEvent, RevocationEvent]> = fc
  .tuple(fc.constantFrom(...KINDS), target)
  .chain(([kind, t]) => {
    const one = eventOf(kind, fc.constant(t));
    return fc.tuple(one, one, one);
  });

/** A rule of subject `u1` or a global one, with `cutoff`, issued then, of `generation` if given. */
const cutoffRule = (kind: 'subject' | 'global', cutoff: number, generation?: number) =>
  ruleFromEvent({
    ...envelope,
    id: 'e',
    issuedAt: cutoff,
    ...(kind === 'subject' ? { kind, sub: 'u1' } : { kind }),
    cutoff,
    ...(generation === undefined ? {} : { generation }),
  });

const tokenArb: fc.Arbitrary<TokenFacts> = fc.record({
  jti: fc.option(target, { nil: undefined }),
  sid: fc.option(target, { nil: undefined }),
  sub: target,
  kid: fc.option(target, { nil: undefined }),
  issuedAt: time,
  sgen: gen,
  ggen: gen,
  iss: fc.option(issuer, { nil: undefined }),
});

describe('rule lattice', () => {
  it('gives the same rules for any order of the same events', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), fc.func(fc.integer()), (events, f) => {
        const shuffled = [...events].sort((x, y) => f(x.id) - f(y.id));
        expect(fold(shuffled)).toEqual(fold(events));
      }),
    );
  });

  it('is unchanged by duplicates and by replaying the whole log', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 30 }), fc.nat(), (events, seed) => {
        const duplicated = events.flatMap((e, i) => ((i + seed) % 3 === 0 ? [e, e] : [e]));
        expect(fold([...duplicated, ...events])).toEqual(fold(events));
      }),
    );
  });

  it('merges associatively', () => {
    fc.assert(
      // Only rules for the same target merge, so all three events are drawn for one key:
      // skipping mismatched draws instead left most runs asserting nothing.
      fc.property(sameTargetTriple, (events) => {
        const [a, b, c] = events.map(ruleFromEvent) as [
          RevocationRule,
          RevocationRule,
          RevocationRule,
        ];
        expect(ruleKey(b)).toBe(ruleKey(a));
        expect(ruleKey(c)).toBe(ruleKey(a));
        expect(mergeRules(mergeRules(a, b), c)).toEqual(mergeRules(a, mergeRules(b, c)));
      }),
    );
  });

  // With generations bounded by a window (cutoff + tolerance), a merged rule keeps the highest
  // generation and the latest generation cutoff, which may come from different events. When
  // generations and cutoffs are ordered alike — what issuers write — the merge is exactly the
  // union; in general it is a superset (see the two properties below and docs/protocol.md,
  // "Bounded damage").
  /**
   * For up to 20 events of `event`, any token and any tolerance: `check` gets whether the merged
   * rules reject the token and whether one of the events alone does.
   */
  function mergedAgainstAlone(
    event: fc.Arbitrary<RevocationEvent>,
    check: (byMerge: boolean, byOne: boolean) => void,
  ): void {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 20 }),
        tokenArb,
        tolerance,
        (events, token, clockToleranceMs) => {
          const options = { clockToleranceMs };
          check(rejectedBy(fold(events), token, options), rejectedByOne(events, token, options));
        },
      ),
    );
  }

  it('rejects exactly what one of the merged events rejects when generations grow with cutoffs (merge is a union)', () => {
    mergedAgainstAlone(coMonotoneEventArb, (byMerge, byOne) => expect(byMerge).toBe(byOne));
  });

  it('rejects at least what one of the merged events rejects, for any generations and cutoffs', () => {
    mergedAgainstAlone(eventArb, (byMerge, byOne) => {
      fc.pre(byOne);
      expect(byMerge).toBe(true);
    });
  });

  it('may reject more than its events alone when a higher generation comes with an earlier cutoff', () => {
    // Event A: generation 10 at cutoff 100; event B: generation 5 at cutoff 200 (ms past T0).
    // A token of generation 7 issued at 150 is past A's window and of B's generation or newer,
    // so neither alone rejects it; the merge (generation 10, window up to 200) does.
    const options = { clockToleranceMs: 10 };
    const a = { ...envelope, id: 'a', issuedAt: T0 + 100, kind: 'subject' as const, sub: 'u1' };
    const events: RevocationEvent[] = [
      { ...a, cutoff: T0 + 100, generation: 10 },
      { ...a, id: 'b', issuedAt: T0 + 200, cutoff: T0 + 200, generation: 5 },
    ];
    const token = { sub: 'u1', issuedAt: T0 + 150, sgen: 7 };
    expect(rejectedByOne(events, token, options)).toBe(false);
    expect(rejectedBy(fold(events), token, options)).toBe(true);
    // Still nothing at or after the latest cutoff + tolerance.
    expect(rejectedBy(fold(events), { ...token, issuedAt: T0 + 210 }, options)).toBe(false);
    expect(rejectedBy(fold(events), { ...token, issuedAt: T0 + 209 }, options)).toBe(true);
  });

  it('rejects nothing issued at or after the latest cutoff + tolerance by a cutoff kind, whatever the generations and merge order', () => {
    // Generations up to a forged 999999, tokens of any generation claim, events in any order.
    const anyGen = fc.option(fc.constantFrom(0, 1, 5, 999_999), { nil: undefined });
    const cutoffEvent: fc.Arbitrary<RevocationEvent> = fc
      .record({
        b: base,
        kind: fc.constantFrom('subject' as const, 'global' as const),
        sub: target,
        iss: issuer,
        cutoff: time,
        generation: anyGen,
      })
      .map(({ b, kind, sub, iss, cutoff, generation }) => ({
        ...envelope,
        ...b,
        iss,
        cutoff,
        ...(kind === 'subject' ? { kind, sub } : { kind }),
        ...(generation === undefined ? {} : { generation }),
      }));
    fc.assert(
      fc.property(
        fc.array(cutoffEvent, { minLength: 1, maxLength: 20 }),
        fc.func(fc.integer()),
        tokenArb,
        fc.nat({ max: 100_000 }),
        tolerance,
        (events, f, token, after, clockToleranceMs) => {
          const shuffled = [...events].sort((x, y) => f(x.id) - f(y.id));
          const late = {
            ...token,
            issuedAt: (latestCutoff(events) ?? 0) + clockToleranceMs + after,
          };
          for (const sgen of [token.sgen, 0, 999_998])
            for (const ggen of [token.ggen, 0, 999_998]) {
              const probe = { ...late, sgen, ggen };
              expect(rejectedBy(fold(shuffled), probe, { clockToleranceMs })).toBe(false);
              expect(rejectedByOne(events, probe, { clockToleranceMs })).toBe(false);
            }
        },
      ),
    );
  });

  it('stays idempotent, commutative and associative with the window, judged by verdicts', () => {
    // The rules themselves are compared above; here the verdicts under a tolerance, so a future
    // change that moved the window into the merge would be caught as well.
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 20 }),
        fc.func(fc.integer()),
        fc.array(tokenArb, { minLength: 1, maxLength: 10 }),
        tolerance,
        (events, f, tokens, clockToleranceMs) => {
          const options = { clockToleranceMs };
          const shuffled = [...events].sort((x, y) => f(x.id) - f(y.id));
          const verdicts = (state: Map<string, RevocationRule>) =>
            tokens.map((t) => rejectedBy(state, t, options));
          const reference = verdicts(fold(events));
          expect(verdicts(fold(shuffled))).toEqual(reference);
          expect(verdicts(fold([...events, ...shuffled]))).toEqual(reference);
        },
      ),
    );
  });

  it('refuses to merge rules of different targets', () => {
    const a = ruleFromEvent({ ...envelope, id: '1', issuedAt: T0, kind: 'session', sid: 'a' });
    const b = ruleFromEvent({ ...envelope, id: '2', issuedAt: T0, kind: 'session', sid: 'b' });
    expect(() => mergeRules(a, b)).toThrow(TypeError);
  });

  it('refuses to merge rules of different issuers, and keys them apart', () => {
    const a = ruleFromEvent({ ...envelope, id: '1', issuedAt: T0, kind: 'session', sid: 'a' });
    const b = ruleFromEvent({
      ...envelope,
      iss: 'https://idp',
      id: '2',
      issuedAt: T0,
      kind: 'session',
      sid: 'a',
    });
    expect(ruleKey(a)).not.toBe(ruleKey(b));
    expect(() => mergeRules(a, b)).toThrow(TypeError);
  });

  it('rejects only tokens of the rule’s issuer, or tokens that name none', () => {
    fc.assert(
      fc.property(eventArb, tokenArb, (event, token) => {
        const rule = ruleFromEvent(event);
        if (token.iss !== undefined && token.iss !== event.iss) {
          expect(rejects(rule, token)).toBe(false);
        } else {
          expect(rejects(rule, token)).toBe(rejects(rule, { ...token, iss: undefined }));
        }
      }),
    );
  });
});

describe('what each kind rejects', () => {
  const token: TokenFacts = { jti: 'j1', sid: 's1', sub: 'u1', kid: 'k1', issuedAt: T0 };

  it('matches token, session and key rules by their claim only', () => {
    const at = { ...envelope, id: 'e', issuedAt: T0 };
    expect(
      rejects(ruleFromEvent({ ...at, kind: 'token', jti: 'j1', expiresAt: T0 + 1 }), token),
    ).toBe(true);
    expect(
      rejects(ruleFromEvent({ ...at, kind: 'token', jti: 'j2', expiresAt: T0 + 1 }), token),
    ).toBe(false);
    expect(rejects(ruleFromEvent({ ...at, kind: 'session', sid: 's1' }), token)).toBe(true);
    expect(
      rejects(ruleFromEvent({ ...at, kind: 'session', sid: 's2' }), { ...token, sid: undefined }),
    ).toBe(false);
    expect(rejects(ruleFromEvent({ ...at, kind: 'key', kid: 'k1' }), token)).toBe(true);
    expect(rejects(ruleFromEvent({ ...at, kind: 'key', kid: 'k2' }), token)).toBe(false);
  });

  it('applies a subject cutoff to that subject only', () => {
    const rule = cutoffRule('subject', T0);
    expect(rejects(rule, { ...token, issuedAt: T0 - 1 })).toBe(true);
    expect(rejects(rule, { ...token, sub: 'u2', issuedAt: T0 - 1 })).toBe(false);
  });
});

describe('the cutoff boundary', () => {
  it('with generations, is exact inside one second and against skewed clocks', () => {
    // Cutoff at .500 of a second bumps the generation to 4. A token stamped by an instance whose
    // clock runs 2 s behind, with iat a whole second earlier, still passes: it carries sgen 4.
    const rule = cutoffRule('subject', T0 + 500, 4);
    expect(rejects(rule, { sub: 'u1', issuedAt: T0 - 2000, sgen: 4 })).toBe(false);
    expect(rejects(rule, { sub: 'u1', issuedAt: T0 + 999, sgen: 5 })).toBe(false);
    // And one issued before the bump is rejected even if its clock ran ahead of the cutoff.
    expect(rejects(rule, { sub: 'u1', issuedAt: T0 + 3000, sgen: 3 })).toBe(true);
  });

  it('without a generation claim, falls back to the issue time, never letting an earlier token pass', () => {
    fc.assert(
      fc.property(time, time, gen, (cutoff, issuedAt, generation) => {
        const rule = cutoffRule('subject', cutoff, generation);
        expect(rejects(rule, { sub: 'u1', issuedAt })).toBe(issuedAt < cutoff);
      }),
    );
  });

  it('accepts a token issued at the cutoff instant and rejects one a millisecond earlier', () => {
    for (const generation of [undefined, 3]) {
      const rule = cutoffRule('subject', T0 + 250, generation);
      expect(rejects(rule, { sub: 'u1', issuedAt: T0 + 250 })).toBe(false);
      expect(rejects(rule, { sub: 'u1', issuedAt: T0 + 249 })).toBe(true);
    }
  });

  it('uses the global generation for global rules', () => {
    const rule = cutoffRule('global', T0, 2);
    expect(rejects(rule, { sub: 'x', issuedAt: T0 - 5000, ggen: 2 })).toBe(false);
    expect(rejects(rule, { sub: 'x', issuedAt: T0 + 4999, ggen: 1 })).toBe(true);
    expect(rejects(rule, { sub: 'x', issuedAt: T0 - 1 })).toBe(true);
  });
});

describe('bounded damage: no rule outlives its cutoff + tolerance', () => {
  it('lets a fresh login after a forged generation pass once cutoff + tolerance is behind', () => {
    for (const kind of ['subject', 'global'] as const) {
      const rule = cutoffRule(kind, T0, 999_999);
      const fresh = (issuedAt: number): TokenFacts => ({ sub: 'u1', issuedAt, sgen: 3, ggen: 3 });
      // Inside the window the generation decides: the forged one refuses.
      expect(rejects(rule, fresh(T0 + DEFAULT_CLOCK_TOLERANCE_MS - 1))).toBe(true);
      // From cutoff + tolerance on, nothing of the generation part rejects.
      expect(rejects(rule, fresh(T0 + DEFAULT_CLOCK_TOLERANCE_MS))).toBe(false);
      expect(rejects(rule, fresh(T0 + 3_600_000))).toBe(false);
    }
  });

  it('uses the tolerance it is given, default DEFAULT_CLOCK_TOLERANCE_MS', () => {
    const rule = cutoffRule('subject', T0, 4);
    const token = { sub: 'u1', issuedAt: T0 + 1_500, sgen: 3 };
    expect(rejects(rule, token)).toBe(true);
    expect(rejects(rule, token, {})).toBe(true);
    expect(rejects(rule, token, { clockToleranceMs: 1_501 })).toBe(true);
    expect(rejects(rule, token, { clockToleranceMs: 1_500 })).toBe(false);
    expect(rejects(rule, token, { clockToleranceMs: 0 })).toBe(false);
    // With no tolerance the generation still decides before the cutoff.
    expect(rejects(rule, { ...token, issuedAt: T0 - 1 }, { clockToleranceMs: 0 })).toBe(true);
    expect(rejects(rule, { ...token, issuedAt: T0 - 1, sgen: 4 }, { clockToleranceMs: 0 })).toBe(
      false,
    );
  });

  it('inside the window, the generation decides for tokens carrying the claim', () => {
    fc.assert(
      fc.property(
        time,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 5 }),
        tolerance,
        fc.integer({ min: -10_000, max: 30_000 }),
        (cutoff, generation, sgen, clockToleranceMs, offset) => {
          const rule = cutoffRule('subject', cutoff, generation);
          const issuedAt = cutoff + offset;
          expect(rejects(rule, { sub: 'u1', issuedAt, sgen }, { clockToleranceMs })).toBe(
            issuedAt < cutoff + clockToleranceMs && sgen < generation,
          );
        },
      ),
    );
  });
});

describe('forgetAt', () => {
  const policy = { maxTokenLifetimeMs: 900_000, clockToleranceMs: 5_000 };

  it('forgets a token rule once its token has expired', () => {
    const rule = ruleFromEvent({
      ...envelope,
      id: 'e',
      issuedAt: T0,
      kind: 'token',
      jti: 'j',
      expiresAt: T0 + 60_000,
    });
    expect(forgetAt(rule, policy)).toBe(T0 + 65_000);
  });

  it('keeps cutoff rules one maximum lifetime past their cutoff', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        const rule = ruleFromEvent(event);
        const at = forgetAt(rule, policy);
        if (event.kind === 'token')
          expect(at).toBe(Math.min(event.expiresAt, event.issuedAt + 900_000) + 5_000);
        else if (event.kind === 'subject' || event.kind === 'global')
          expect(at).toBe(Math.max(event.issuedAt, event.cutoff) + 905_000);
        else expect(at).toBe(event.issuedAt + 905_000);
      }),
    );
  });

  it('keeps a token rule as long as its longest-lived event asks, not one event’s exp past another’s revocation', () => {
    // The case of issue 20: a 900 s lifetime, revoked at 0 s with exp 1000 s and at 500 s with
    // exp 600 s. The first event's token was issued before 0 s, so it is invalid from 900 s
    // whatever its exp; the second's from 600 s. Pairing the first exp with the second
    // revocation time would keep the rule until 1000 s, longer than either event asks.
    const s = 1_000;
    const at = { ...envelope, kind: 'token' as const, jti: 'j' };
    const first = ruleFromEvent({ ...at, id: '1', issuedAt: T0, expiresAt: T0 + 1_000 * s });
    const second = ruleFromEvent({
      ...at,
      id: '2',
      issuedAt: T0 + 500 * s,
      expiresAt: T0 + 600 * s,
    });
    const noTolerance = { maxTokenLifetimeMs: 900 * s, clockToleranceMs: 0 };
    expect(forgetAt(first, noTolerance)).toBe(T0 + 900 * s);
    expect(forgetAt(second, noTolerance)).toBe(T0 + 600 * s);
    expect(forgetAt(mergeRules(first, second), noTolerance)).toBe(T0 + 900 * s);
    expect(forgetAt(mergeRules(second, first), noTolerance)).toBe(T0 + 900 * s);
    // With a lifetime longer than both exps, the later exp decides.
    expect(
      forgetAt(mergeRules(first, second), { ...noTolerance, maxTokenLifetimeMs: 2_000 * s }),
    ).toBe(T0 + 1_000 * s);
  });

  it('forgets a merged rule exactly when the last of its events alone would be forgotten, for every kind, order and policy', () => {
    // Lifetimes from 0 to twice the spread of generated times, so a token rule's cap on its
    // stated exp sometimes decides and sometimes does not.
    const forgetPolicy = fc.record({
      maxTokenLifetimeMs: fc.integer({ min: 0, max: 20_000 }),
      clockToleranceMs: tolerance,
    });
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 20 }),
        fc.func(fc.integer()),
        forgetPolicy,
        (events, f, policy) => {
          const shuffled = [...events].sort((x, y) => f(x.id) - f(y.id));
          for (const [key, merged] of fold(shuffled)) {
            const alone = events
              .map(ruleFromEvent)
              .filter((rule) => ruleKey(rule) === key)
              .map((rule) => forgetAt(rule, policy));
            expect(forgetAt(merged, policy)).toBe(Math.max(...alone));
          }
        },
      ),
    );
  });

  it('never forgets a rule while a token it rejects can still be valid', () => {
    // Issuers stamp generations honestly and mint no token for a session or key after revoking
    // it, so the tokens to consider are those issued no later than the rule's event.
    const honest = tokenArb.map((t) => ({ ...t, sgen: undefined, ggen: undefined }));
    fc.assert(
      fc.property(eventArb, honest, (event, token) => {
        const rule = ruleFromEvent(event);
        // fc.pre, not return: fast-check draws again, so all 100 runs assert (a return left
        // about 10 of them checking anything).
        fc.pre(rejects(rule, token) && token.issuedAt <= event.issuedAt);
        const latestValid =
          rule.kind === 'token'
            ? Math.min(rule.expiresAt, token.issuedAt + policy.maxTokenLifetimeMs)
            : token.issuedAt + policy.maxTokenLifetimeMs;
        expect(forgetAt(rule, policy)).toBeGreaterThanOrEqual(
          latestValid + policy.clockToleranceMs,
        );
      }),
    );
  });
});

describe('cutoffTightened', () => {
  const cutoffEvent = (kind: 'subject' | 'global') => eventOf(kind, fc.constant('a'));

  it('answers true whenever merging an event makes a cutoff rule reject a token it did not', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom('subject' as const, 'global' as const)
          .chain((kind) =>
            fc.tuple(
              fc.array(cutoffEvent(kind), { minLength: 1, maxLength: 6 }),
              cutoffEvent(kind),
            ),
          ),
        fc.array(tokenArb, { minLength: 1, maxLength: 20 }),
        tolerance,
        ([events, event], tokens, clockToleranceMs) => {
          const [previous] = [...fold(events).values()] as [CutoffRule];
          const next = mergeRules(previous, ruleFromEvent(event)) as CutoffRule;
          const probes = tokens.map((t) => ({ ...t, sub: 'a', iss: undefined }));
          const newlyRejected = probes.some(
            (t) =>
              rejects(next, t, { clockToleranceMs }) && !rejects(previous, t, { clockToleranceMs }),
          );
          // fc.pre, so every run asserts: a merge that rejects nothing new proves nothing here.
          fc.pre(newlyRejected);
          expect(cutoffTightened(previous, next)).toBe(true);
        },
      ),
    );
  });

  it('answers false for a merge that raises no threshold, and true for a later cutoff', () => {
    const at = { ...envelope, id: 'e', issuedAt: T0, kind: 'subject' as const, sub: 'u1' };
    const rule = ruleFromEvent({ ...at, cutoff: T0, generation: 3 }) as CutoffRule;
    const same = mergeRules(rule, ruleFromEvent({ ...at, id: 'f', cutoff: T0 - 1, generation: 2 }));
    expect(cutoffTightened(rule, same as CutoffRule)).toBe(false);
    const later = mergeRules(rule, ruleFromEvent({ ...at, id: 'g', cutoff: T0 + 1 }));
    expect(cutoffTightened(rule, later as CutoffRule)).toBe(true);
  });
});
