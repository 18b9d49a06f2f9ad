import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  GLOBAL_TARGET,
  REVOCATION_REASONS,
  SCHEMA_VERSION,
  forgetAt,
  mergeRules,
  rejects,
  ruleFromEvent,
  ruleKey,
} from '@revocation-fabric/protocol';
import type {
  ForgetPolicy,
  RevocationEvent,
  RevocationEventInput,
  RevocationReason,
  RevocationRule,
  RuleKind,
  TokenFacts,
  TokenRevocation,
} from '@revocation-fabric/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Blocklist } from './blocklist.js';
import {
  decodeSnapshotHeader,
  decodeSnapshotState,
  encodeSnapshot,
} from './kafka/snapshot-codec.js';
import { checkBlocklistState } from './lib/blocklist-state.js';
import { assertReasonEncoding, packedForgetAt } from './lib/packed-token-rule.js';

const MINUTE = 60_000;
const LIFETIME = 15 * MINUTE;
const TOLERANCE = 5_000;
const T0 = Date.UTC(2026, 0, 1, 12);

function event(input: RevocationEventInput): RevocationEvent {
  return { v: SCHEMA_VERSION, id: randomUUID(), issuedAt: T0, ...input };
}

const common = { reason: 'logout', actor: 'u1', iss: 'https://auth.example' } as const;

function setup(start = T0, clockToleranceMs = TOLERANCE) {
  const clock = { now: start };
  const blocklist = new Blocklist({
    maxTokenLifetimeMs: LIFETIME,
    clockToleranceMs,
    now: () => clock.now,
    issuer: common.iss,
  });
  return { clock, blocklist };
}

const token = (facts: Partial<TokenFacts> = {}): TokenFacts => ({
  sub: 'u1',
  issuedAt: T0 - MINUTE,
  ...facts,
});

/** Two targets, so generated events for one jti (sid, sub, kid) meet and merge. */
const targets = fc.constantFrom('a', 'b');
/** Generation claims and events: none, small ones and a forged 999999. */
const generations = fc.option(fc.constantFrom(0, 1, 2, 3, 999_999), { nil: undefined });

/** What an arbitrary event is drawn from; each kind takes the fields it has. */
interface EventDraw {
  readonly kind: RuleKind;
  readonly target: string;
  readonly id: string;
  readonly issuedAt: number;
  readonly reason: RevocationReason;
  /** Of a token event. */
  readonly expiresAt: number;
  /** Of a subject or global event. */
  readonly cutoff: number;
  /** Of a subject or global event, if any. */
  readonly generation?: number | undefined;
}

function eventOf(draw: EventDraw): RevocationEvent {
  const { kind, target, id, issuedAt, reason, expiresAt, cutoff, generation } = draw;
  const base = { ...common, v: SCHEMA_VERSION, id, issuedAt, reason } as const;
  const gen = generation === undefined ? {} : { generation };
  switch (kind) {
    case 'token':
      return { ...base, kind, jti: target, expiresAt };
    case 'session':
      return { ...base, kind, sid: target };
    case 'key':
      return { ...base, kind, kid: target };
    case 'subject':
      return { ...base, kind, sub: target, cutoff, ...gen };
    case 'global':
      return { ...base, kind, cutoff, ...gen };
  }
}

/** Token facts naming the generated targets or not, of this issuer or none, issued `at`. */
function arbitraryFacts(
  at: fc.Arbitrary<number>,
  subjects: fc.Arbitrary<string> = targets,
): fc.Arbitrary<TokenFacts> {
  return fc.record({
    jti: fc.option(targets, { nil: undefined }),
    sid: fc.option(targets, { nil: undefined }),
    sub: subjects,
    kid: fc.option(targets, { nil: undefined }),
    issuedAt: at,
    sgen: generations,
    ggen: generations,
    iss: fc.constantFrom(undefined, common.iss),
  });
}

describe('Blocklist', () => {
  it('rejects a token by jti until its expiry, with the event reason', () => {
    const { clock, blocklist } = setup();
    blocklist.apply(event({ ...common, kind: 'token', jti: 't1', expiresAt: T0 + 5 * MINUTE }));
    expect(blocklist.check(token({ jti: 't1' }))).toEqual({ kind: 'token', reason: 'logout' });
    expect(blocklist.check(token({ jti: 't2' }))).toBeUndefined();
    clock.now = T0 + 5 * MINUTE + TOLERANCE;
    expect(blocklist.check(token({ jti: 't1' }))).toBeDefined();
    // Forget times are kept in 16 s steps, rounded up: gone within one step after exp + tolerance.
    clock.now = T0 + 5 * MINUTE + TOLERANCE + 16_001;
    expect(blocklist.check(token({ jti: 't1' }))).toBeUndefined();
  });

  it('rejects every token of a revoked session for one token lifetime', () => {
    const { clock, blocklist } = setup();
    blocklist.apply(event({ ...common, kind: 'session', sid: 's1' }));
    expect(blocklist.check(token({ sid: 's1' }))).toEqual({ kind: 'session', reason: 'logout' });
    expect(blocklist.check(token({ sid: 's2' }))).toBeUndefined();
    expect(blocklist.check(token())).toBeUndefined();
    clock.now = T0 + LIFETIME + TOLERANCE;
    expect(blocklist.check(token({ sid: 's1' }))).toBeDefined();
    clock.now += 1;
    expect(blocklist.check(token({ sid: 's1' }))).toBeUndefined();
  });

  it('rejects a subject’s tokens issued before the cutoff and accepts later ones', () => {
    const { blocklist } = setup();
    blocklist.apply(
      event({ ...common, reason: 'password-change', kind: 'subject', sub: 'u1', cutoff: T0 }),
    );
    expect(blocklist.check(token({ issuedAt: T0 - 1 }))).toEqual({
      kind: 'subject',
      reason: 'password-change',
    });
    expect(blocklist.check(token({ issuedAt: T0 }))).toBeUndefined();
    expect(blocklist.check(token({ sub: 'u2', issuedAt: T0 - 1 }))).toBeUndefined();
  });

  it('judges tokens carrying sgen by generation up to cutoff + tolerance, and others by the cutoff', () => {
    const { blocklist } = setup();
    blocklist.apply(
      event({ ...common, reason: 'ban', kind: 'subject', sub: 'u1', cutoff: T0, generation: 4 }),
    );
    // Issued "after" the cutoff by a fast clock, but of an old generation: rejected.
    expect(blocklist.check(token({ issuedAt: T0 + 1_000, sgen: 3 }))).toBeDefined();
    // Issued "before" the cutoff by a slow clock, but of the new generation: accepted.
    expect(blocklist.check(token({ issuedAt: T0 - 1_000, sgen: 4 }))).toBeUndefined();
    expect(blocklist.check(token({ issuedAt: T0 - 1 }))).toBeDefined();
    expect(blocklist.check(token({ issuedAt: T0 }))).toBeUndefined();
    // Past cutoff + tolerance the generation no longer decides (bounded damage).
    expect(blocklist.check(token({ issuedAt: T0 + TOLERANCE - 1, sgen: 3 }))).toBeDefined();
    expect(blocklist.check(token({ issuedAt: T0 + TOLERANCE, sgen: 3 }))).toBeUndefined();
  });

  it('lets fresh logins through after a forged generation’s cutoff + its own clock tolerance', () => {
    for (const tolerance of [0, 2_000, TOLERANCE]) {
      const { blocklist } = setup(T0, tolerance);
      blocklist.apply(
        event({ ...common, reason: 'emergency', kind: 'global', cutoff: T0, generation: 999_999 }),
      );
      blocklist.apply(
        event({ ...common, kind: 'subject', sub: 'u1', cutoff: T0, generation: 999_999 }),
      );
      const fresh = (issuedAt: number) => token({ issuedAt, sgen: 7, ggen: 7 });
      if (tolerance > 0) expect(blocklist.check(fresh(T0 + tolerance - 1))).toBeDefined();
      expect(blocklist.check(fresh(T0 + tolerance))).toBeUndefined();
      expect(blocklist.check(fresh(T0 + 10 * MINUTE))).toBeUndefined();
    }
  });

  it('rejects every token signed with a revoked key', () => {
    const { blocklist } = setup();
    blocklist.apply(event({ ...common, reason: 'key-compromise', kind: 'key', kid: 'k1' }));
    expect(blocklist.check(token({ kid: 'k1', issuedAt: T0 + 1 }))).toEqual({
      kind: 'key',
      reason: 'key-compromise',
    });
    expect(blocklist.check(token({ kid: 'k2' }))).toBeUndefined();
  });

  it('rejects every token issued before a global cutoff, or of a lower ggen', () => {
    const { blocklist } = setup();
    blocklist.apply(
      event({ ...common, reason: 'emergency', kind: 'global', cutoff: T0, generation: 2 }),
    );
    expect(blocklist.check(token({ sub: 'anyone', issuedAt: T0 - 1 }))).toEqual({
      kind: 'global',
      reason: 'emergency',
    });
    expect(blocklist.check(token({ issuedAt: T0 + 1 }))).toBeUndefined();
    expect(blocklist.check(token({ issuedAt: T0 + 1, ggen: 1 }))).toBeDefined();
    expect(blocklist.check(token({ issuedAt: T0 - 1, ggen: 2 }))).toBeUndefined();
  });

  it('reports a rule only when it newly restricts', () => {
    const { blocklist } = setup();
    const session = event({ ...common, kind: 'session', sid: 's1' });
    expect(blocklist.apply(session)).toMatchObject({ kind: 'session', target: 's1' });
    expect(blocklist.apply(session)).toBeUndefined();
    expect(blocklist.apply({ ...session, id: randomUUID(), issuedAt: T0 + 1 })).toBeUndefined();

    const subject = (cutoff: number) => event({ ...common, kind: 'subject', sub: 'u1', cutoff });
    expect(blocklist.apply(subject(T0 - 10))).toMatchObject({ cutoff: T0 - 10 });
    expect(blocklist.apply(subject(T0 - 20))).toBeUndefined();
    expect(blocklist.apply(subject(T0))).toMatchObject({ kind: 'subject', cutoff: T0 });

    const jti = event({ ...common, kind: 'token', jti: 't1', expiresAt: T0 + MINUTE });
    expect(blocklist.apply(jti)).toMatchObject({ kind: 'token', target: 't1' });
    expect(
      blocklist.apply({ ...(jti as TokenRevocation), expiresAt: T0 + 2 * MINUTE }),
    ).toBeUndefined();
  });

  it('forgets a token rule one token lifetime after its event, whatever expiresAt says', () => {
    const { clock, blocklist } = setup();
    const farFuture = T0 + 365 * 24 * 60 * MINUTE;
    blocklist.apply(event({ ...common, kind: 'token', jti: 'refresh-1', expiresAt: farFuture }));
    clock.now = T0 + LIFETIME;
    expect(blocklist.check(token({ jti: 'refresh-1' }))).toBeDefined();
    clock.now = T0 + LIFETIME + TOLERANCE + 16_001;
    expect(blocklist.check(token({ jti: 'refresh-1' }))).toBeUndefined();
    expect(blocklist.purge()).toBe(1);
  });

  it('stores nothing for an event already past its forget time', () => {
    const { blocklist } = setup(T0 + LIFETIME + TOLERANCE + 1);
    expect(blocklist.apply(event({ ...common, kind: 'session', sid: 's1' }))).toBeUndefined();
    expect(
      blocklist.apply(event({ ...common, kind: 'token', jti: 't', expiresAt: T0 })),
    ).toBeUndefined();
    expect(blocklist.size()).toEqual({ token: 0, session: 0, subject: 0, key: 0, global: 0 });
  });

  it('gives the same verdicts whatever order events arrive in, duplicates included', () => {
    const events = [
      event({ ...common, kind: 'subject', sub: 'u1', cutoff: T0 - 5_000 }),
      event({ ...common, kind: 'subject', sub: 'u1', cutoff: T0 - 9_000, generation: 3 }),
      event({ ...common, kind: 'subject', sub: 'u1', cutoff: T0 - 1_000, generation: 2 }),
      event({ ...common, kind: 'global', cutoff: T0 - 60_000 }),
      event({ ...common, kind: 'session', sid: 's1' }),
      event({ ...common, reason: 'admin', kind: 'token', jti: 't1', expiresAt: T0 + MINUTE }),
      event({ ...common, kind: 'token', jti: 't1', expiresAt: T0 + 2 * MINUTE }),
    ];
    const probes: TokenFacts[] = [];
    for (const issuedAt of [T0 - 70_000, T0 - 6_000, T0 - 2_000, T0]) {
      for (const sgen of [undefined, 1, 2, 3]) {
        probes.push(token({ issuedAt, sgen }), token({ issuedAt, sgen, sid: 's1' }));
      }
    }
    probes.push(token({ jti: 't1', issuedAt: T0 }));
    const verdicts = (order: readonly RevocationEvent[]) => {
      const { blocklist } = setup();
      for (const e of order) blocklist.apply(e);
      return probes.map((p) => blocklist.check(p));
    };
    const reference = verdicts(events);
    fc.assert(
      fc.property(fc.shuffledSubarray([...events, ...events], { minLength: 14 }), (order) => {
        expect(verdicts(order)).toEqual(reference);
      }),
      { numRuns: 200 },
    );
  });

  it('purges forgotten rules incrementally within the budget of each call', () => {
    const { clock, blocklist } = setup();
    for (let i = 0; i < 250; i++) {
      blocklist.apply(event({ ...common, kind: 'token', jti: `old-${i}`, expiresAt: T0 + MINUTE }));
      blocklist.apply(
        event({ ...common, kind: 'token', jti: `new-${i}`, expiresAt: T0 + 10 * MINUTE }),
      );
    }
    blocklist.apply(event({ ...common, kind: 'session', sid: 's1' }));
    blocklist.apply(event({ ...common, kind: 'global', cutoff: T0 }));
    expect(blocklist.size()).toMatchObject({ token: 500, session: 1, global: 1 });

    clock.now = T0 + 2 * MINUTE;
    expect(blocklist.purge(100)).toBeLessThanOrEqual(100);
    let removed = 0;
    for (let i = 0; i < 20; i++) removed += blocklist.purge(100);
    expect(blocklist.size()).toMatchObject({ token: 250, session: 1, global: 1 });
    expect(blocklist.check(token({ jti: 'new-7' }))).toBeDefined();

    clock.now = T0 + LIFETIME + TOLERANCE + 1;
    for (let i = 0; i < 10; i++) blocklist.purge(100);
    expect(blocklist.size()).toEqual({ token: 0, session: 0, subject: 0, key: 0, global: 0 });
    expect(removed).toBeGreaterThan(0);
  });

  it('matches a jti with lone surrogates exactly', () => {
    const { blocklist } = setup();
    const jti = 'a\ud800b-long-enough-to-be-sliced';
    blocklist.apply(event({ ...common, kind: 'token', jti, expiresAt: T0 + MINUTE }));
    expect(blocklist.check(token({ jti }))).toBeDefined();
    expect(blocklist.check(token({ jti: 'a\ufffdb-long-enough-to-be-sliced' }))).toBeUndefined();
  });

  it('does not keep alive the large strings its targets were cut from', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { blocklist } = setup();
    const heapAfter = (fill: () => void) => {
      fill();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heapAfter(() => {});
    const after = heapAfter(() => {
      // 32 MB of text on the V8 heap (join gives one flat string; Buffer#toString would give
      // an external one, outside heapUsed). Every target below is a slice of it, which V8
      // represents as a pointer into the parent unless copied.
      const source = Array.from({ length: 2_000_000 }, (_, i) =>
        i.toString(16).padStart(16, '0'),
      ).join('');
      for (let i = 0; i < 1_000; i++) {
        const at = i * 48;
        blocklist.apply(
          event({
            ...common,
            kind: 'token',
            jti: source.slice(at, at + 36),
            expiresAt: T0 + MINUTE,
          }),
        );
        blocklist.apply(event({ ...common, kind: 'session', sid: source.slice(at + 1, at + 37) }));
        blocklist.apply(
          event({ ...common, kind: 'subject', sub: source.slice(at + 2, at + 38), cutoff: T0 }),
        );
      }
    });
    expect(blocklist.size()).toMatchObject({ token: 1_000, session: 1_000, subject: 1_000 });
    expect(after - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('merges a rule’s reason exactly as the protocol’s mergeRules does, in any order', () => {
    // Few targets, few instants and few ids, so the same jti (or sid, sub, kid) meets events
    // with equal issuedAt and the id has to break the tie.
    const arbitraryEvent = fc
      .record({
        kind: fc.constantFrom('token', 'session', 'subject', 'key', 'global'),
        target: targets,
        issuedAt: fc.integer({ min: 0, max: 3 }).map((s) => T0 - s * 1_000),
        id: fc.constantFrom('e1', 'e2', 'e3', 'e4'),
        reason: fc.constantFrom(...REVOCATION_REASONS),
      })
      .map((draw) => eventOf({ ...draw, expiresAt: T0 + MINUTE, cutoff: draw.issuedAt }));
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { minLength: 1, maxLength: 12 }), (events) => {
        const { blocklist } = setup();
        const merged = new Map<string, RevocationRule>();
        for (const e of events) {
          blocklist.apply(e);
          const rule = ruleFromEvent(e);
          const key = `${rule.kind}:${rule.target}`;
          const previous = merged.get(key);
          merged.set(key, previous === undefined ? rule : mergeRules(previous, rule));
        }
        for (const rule of merged.values()) {
          // A token that only this rule can match: its kind is the narrowest that applies.
          const facts: TokenFacts =
            rule.kind === 'token'
              ? { sub: 'nobody', jti: rule.target, issuedAt: T0 }
              : rule.kind === 'session'
                ? { sub: 'nobody', sid: rule.target, issuedAt: T0 }
                : rule.kind === 'key'
                  ? { sub: 'nobody', kid: rule.target, issuedAt: T0 }
                  : { sub: rule.kind === 'subject' ? rule.target : 'nobody', issuedAt: -1 };
          const match = blocklist.check(facts);
          if (rule.kind === 'subject' && merged.has('global:*')) continue;
          if (rule.kind === 'global' && [...merged.keys()].some((k) => k.startsWith('subject:')))
            continue;
          expect(match).toEqual({ kind: rule.kind, reason: rule.reason });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects exactly what the protocol’s merged rules reject, with the same clock tolerance', () => {
    // Every kind, generations in any order (a forged 999999 among them), tokens around the
    // cutoffs and past cutoff + tolerance, several tolerances. The clock stays at T0, before
    // every forget time, so the blocklist must answer as the protocol's pure `rejects` does.
    const instant = fc.integer({ min: -10_000, max: 10_000 }).map((d) => T0 + d);
    const arbitraryEvent = fc
      .record({
        kind: fc.constantFrom('token', 'session', 'subject', 'key', 'global'),
        target: targets,
        issuedAt: instant,
        cutoff: instant,
        generation: generations,
        id: fc.uuid(),
        reason: fc.constantFrom(...REVOCATION_REASONS),
      })
      .map((draw) => eventOf({ ...draw, expiresAt: T0 + MINUTE }));
    const facts = arbitraryFacts(fc.integer({ min: -20_000, max: 40_000 }).map((d) => T0 + d));
    fc.assert(
      fc.property(
        fc.array(arbitraryEvent, { maxLength: 12 }),
        fc.array(facts, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(0, 1, 1_000, TOLERANCE, 20_000),
        (events, probes, clockToleranceMs) => {
          const { blocklist } = setup(T0, clockToleranceMs);
          const merged = new Map<string, RevocationRule>();
          for (const e of events) {
            blocklist.apply(e);
            const rule = ruleFromEvent(e);
            const previous = merged.get(ruleKey(rule));
            merged.set(ruleKey(rule), previous === undefined ? rule : mergeRules(previous, rule));
          }
          for (const probe of probes) {
            const expected = [...merged.values()].some((rule) =>
              rejects(rule, probe, { clockToleranceMs }),
            );
            expect(blocklist.check(probe) !== undefined).toBe(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a full replay’s verdicts from a snapshot of a prefix plus the rest, in either order', async () => {
    // What a verifier starting from a snapshot does: the state of the events before the
    // snapshot's positions — through JSON, or through the snapshot file's encoding (token rules
    // then frozen, lib/frozen-tokens.ts) — and its check, merged with the events after them,
    // before or after those (the feed may deliver the tail first). Judged now and later, as
    // rules are forgotten; idempotent (a state merged twice changes nothing); and a snapshot of
    // the resumed blocklist resumes the same again.
    const instant = fc.integer({ min: -10_000, max: 10_000 }).map((d) => T0 + d);
    const arbitraryEvent = fc
      .record({
        kind: fc.constantFrom('token', 'session', 'subject', 'key', 'global'),
        target: targets,
        issuedAt: fc.integer({ min: -LIFETIME, max: 10_000 }).map((d) => T0 + d),
        cutoff: instant,
        expiresAt: fc.integer({ min: -MINUTE, max: LIFETIME }).map((d) => T0 + d),
        generation: generations,
        id: fc.constantFrom('e1', 'e2', 'e3'),
        reason: fc.constantFrom(...REVOCATION_REASONS),
      })
      .map(eventOf);
    const facts = arbitraryFacts(fc.integer({ min: -LIFETIME, max: 40_000 }).map((d) => T0 + d));
    const throughFile = async (state: unknown): Promise<unknown> => {
      const bytes = await encodeSnapshot({}, { issuers: [state] });
      const { header, bodyAt } = decodeSnapshotHeader(bytes);
      return (decodeSnapshotState(bytes, header, bodyAt) as { issuers: unknown[] }).issuers[0];
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraryEvent, { maxLength: 14 }),
        fc.nat(),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(facts, { minLength: 1, maxLength: 10 }),
        async (events, cut, stateFirst, file, twice, probes) => {
          const split = events.length === 0 ? 0 : cut % (events.length + 1);
          const full = setup();
          for (const e of events) full.blocklist.apply(e);
          const head = setup();
          for (const e of events.slice(0, split)) head.blocklist.apply(e);
          const exported = head.blocklist.exportState();
          const saved: unknown = file
            ? await throughFile(exported)
            : JSON.parse(JSON.stringify(exported));
          const resumed = setup();
          const restore = () =>
            resumed.blocklist.restoreState(checkBlocklistState(saved, common.iss));
          if (stateFirst) restore();
          for (const e of events.slice(split)) resumed.blocklist.apply(e);
          if (!stateFirst) restore();
          if (twice) restore();
          const again = setup();
          again.blocklist.restoreState(
            checkBlocklistState(await throughFile(resumed.blocklist.exportState()), common.iss),
          );
          for (const later of [0, MINUTE, LIFETIME, 2 * LIFETIME]) {
            for (const b of [full, resumed, again]) b.clock.now = T0 + later;
            for (const probe of probes) {
              const expected = full.blocklist.check(probe);
              expect(resumed.blocklist.check(probe)).toEqual(expected);
              expect(again.blocklist.check(probe)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a snapshot state of another issuer or of the wrong shape, naming the member', () => {
    const { blocklist } = setup();
    blocklist.apply(event({ ...common, kind: 'token', jti: 't1', expiresAt: T0 + MINUTE }));
    const state = blocklist.exportState();
    expect(() => checkBlocklistState(state, 'https://other.example')).toThrow(/issuer/);
    const corrupt = { ...state, tokens: { ...state.tokens, packed: [-1] } };
    expect(() => checkBlocklistState(corrupt, common.iss)).toThrow(/tokens.packed\[0\]/);
    expect(() =>
      checkBlocklistState({ ...state, sessions: [{ kind: 'key' }] }, common.iss),
    ).toThrow(/sessions\[0\].kind/);
    const other = new Blocklist({ maxTokenLifetimeMs: LIFETIME, issuer: 'https://other.example' });
    expect(() => other.restoreState(state)).toThrow(TypeError);
  });

  it('refuses to load a reason encoding that cannot hold every reason', () => {
    const reasons: RevocationReason[] = [...REVOCATION_REASONS];
    expect(() => assertReasonEncoding(reasons, reasons.length)).not.toThrow();
    expect(() => assertReasonEncoding([...reasons, 'admin'], reasons.length)).toThrow(
      /do not fit the token rule encoding/,
    );
  });
});

/**
 * The protocol's reading of what a blocklist holds at `now`: the events applied so far, merged
 * per target by `mergeRules`, each merged rule forgotten by `forgetAt` — as late as the packed
 * token encoding keeps it, for token rules (rounded up, never earlier).
 */
class ProtocolModel {
  /** Every event applied, merged per target. */
  readonly everything = new Map<string, RevocationRule>();
  /** The events not yet forgotten when applied, merged per target: what reasons come from. */
  readonly live = new Map<string, RevocationRule>();

  constructor(readonly policy: ForgetPolicy) {}

  /** When the blocklist stops rejecting by this rule. */
  keptUntil(rule: RevocationRule): number {
    const at = forgetAt(rule, this.policy);
    return rule.kind === 'token' ? packedForgetAt(at) : at;
  }

  apply(event: RevocationEvent, now: number): void {
    const rule = ruleFromEvent(event);
    const key = ruleKey(rule);
    const all = this.everything.get(key);
    this.everything.set(key, all === undefined ? rule : mergeRules(all, rule));
    if (this.keptUntil(rule) < now) return;
    const previous = this.live.get(key);
    this.live.set(
      key,
      previous !== undefined && this.keptUntil(previous) >= now ? mergeRules(previous, rule) : rule,
    );
  }

  /** The blocklist's answer: the narrowest kind whose live rule rejects the token. */
  check(facts: TokenFacts, now: number): { kind: RuleKind; reason: RevocationReason } | undefined {
    const targets: [RuleKind, string | undefined][] = [
      ['token', facts.jti],
      ['session', facts.sid],
      ['subject', facts.sub],
      ['key', facts.kid],
      ['global', GLOBAL_TARGET],
    ];
    for (const [kind, target] of targets) {
      if (target === undefined) continue;
      const rule = this.live.get(ruleKey({ kind, issuer: common.iss, target }));
      if (
        rule !== undefined &&
        this.keptUntil(rule) >= now &&
        rejects(rule, facts, { clockToleranceMs: this.policy.clockToleranceMs })
      ) {
        return { kind, reason: rule.reason };
      }
    }
    return undefined;
  }
}

describe('Blocklist against the protocol’s rule functions', () => {
  const L = LIFETIME;
  /** Events over six token lifetimes, so some arrive forgotten and rules lapse between them. */
  const arbitraryEvent = fc
    .record({
      kind: fc.constantFrom('token', 'session', 'subject', 'key', 'global'),
      target: targets,
      issuedAt: fc.integer({ min: 0, max: 6 * L }).map((d) => T0 + d),
      // A token's exp from before its revocation to two lifetimes after (the cap decides);
      // a cutoff from a lifetime before the event to a tolerance after it.
      offset: fc.integer({ min: -L, max: 2 * L }),
      generation: generations,
      id: fc.constantFrom('e1', 'e2', 'e3'),
      reason: fc.constantFrom(...REVOCATION_REASONS),
    })
    .map(({ offset, ...draw }) =>
      eventOf({
        ...draw,
        expiresAt: draw.issuedAt + offset,
        cutoff: draw.issuedAt + Math.min(offset, TOLERANCE),
      }),
    );
  const arbitraryProbe = arbitraryFacts(
    fc.integer({ min: -2 * L, max: 7 * L }).map((d) => T0 + d),
    fc.constantFrom('a', 'b', 'nobody'),
  );
  /**
   * Events with when each arrives: the clock only moves forward, by up to half a lifetime, to
   * within 20 s of the event's own forget time (where the packed step's rounding matters), or to
   * within a millisecond of when the rule already held for its target is forgotten.
   */
  const arrivals = fc.array(
    fc.tuple(
      arbitraryEvent,
      fc.oneof(
        fc.record({ gap: fc.integer({ min: 0, max: L / 2 }) }),
        fc.record({ nearOwnForgetAt: fc.integer({ min: -20_000, max: 20_000 }) }),
        fc.record({ nearHeldUntil: fc.integer({ min: -1, max: 1 }) }),
      ),
    ),
    { minLength: 1, maxLength: 14 },
  );

  /**
   * A token only the rule of `key` can reject, given that rule's kind: token, session and key
   * rules by target, issued after every cutoff; subject and global rules by issue time, before
   * every cutoff (a subject's token may also be rejected by the global rule, checked later).
   */
  function probeFor(rule: RevocationRule): TokenFacts {
    const after = T0 + 20 * L;
    const before = T0 - 20 * L;
    switch (rule.kind) {
      case 'token':
        return { sub: 'nobody', jti: rule.target, issuedAt: after };
      case 'session':
        return { sub: 'nobody', sid: rule.target, issuedAt: after };
      case 'key':
        return { sub: 'nobody', kid: rule.target, issuedAt: after };
      case 'subject':
        return { sub: rule.target, issuedAt: before };
      case 'global':
        return { sub: 'nobody', issuedAt: before };
    }
  }

  it('rejects, names the reason of and forgets every rule as mergeRules, rejects and forgetAt say, for events arriving in any order at any time', () => {
    fc.assert(
      fc.property(
        arrivals,
        fc.array(arbitraryProbe, { maxLength: 8 }),
        fc.constantFrom(0, 1_000, TOLERANCE),
        (events, randomFacts, clockToleranceMs) => {
          const policy = { maxTokenLifetimeMs: L, clockToleranceMs };
          const { clock, blocklist } = setup(T0, clockToleranceMs);
          const model = new ProtocolModel(policy);
          const everyProbe = () => [
            ...randomFacts,
            ...[...model.everything.values()].map(probeFor),
          ];
          /**
           * At `now` and a millisecond before, at and after each rule's forget time as the
           * protocol computes it for all its events merged (and, for token rules, the unrounded
           * one): every rule is held exactly until then, and every probe gets the model's answer.
           */
          const compare = (now: number, rules: readonly RevocationRule[]) => {
            const instants = new Set([now]);
            for (const rule of rules) {
              const kept = model.keptUntil(rule);
              for (const at of [forgetAt(rule, policy), kept - 1, kept, kept + 1]) {
                if (at >= now) instants.add(at);
              }
            }
            const probes = everyProbe();
            // Collected and compared once: an expect per probe made the property ten times slower.
            const actual: unknown[] = [];
            const expected: unknown[] = [];
            for (const at of instants) {
              for (const rule of model.everything.values()) {
                const key = ruleKey(rule);
                actual.push({
                  at,
                  key,
                  held: blocklist.check(probeFor(rule), at)?.kind === rule.kind,
                });
                expected.push({ at, key, held: model.keptUntil(rule) >= at });
              }
              for (const facts of probes) {
                actual.push({ at, facts, match: blocklist.check(facts, at) });
                expected.push({ at, facts, match: model.check(facts, at) });
              }
            }
            expect(actual).toEqual(expected);
          };
          for (const [e, arrival] of events) {
            const held = model.everything.get(ruleKey(ruleFromEvent(e)));
            clock.now =
              'gap' in arrival
                ? clock.now + arrival.gap
                : 'nearOwnForgetAt' in arrival
                  ? Math.max(
                      clock.now,
                      forgetAt(ruleFromEvent(e), policy) + arrival.nearOwnForgetAt,
                    )
                  : Math.max(
                      clock.now,
                      (held === undefined ? clock.now : model.keptUntil(held)) +
                        arrival.nearHeldUntil,
                    );
            const now = clock.now;
            const probes = [...everyProbe(), probeFor(ruleFromEvent(e))];
            const before = probes.map((facts) => blocklist.check(facts, now));
            const reported = blocklist.apply(e);
            model.apply(e, now);
            // Whenever the event makes the blocklist reject a token it accepted, it says so.
            const newlyRejects = probes.some(
              (facts, i) => before[i] === undefined && blocklist.check(facts, now) !== undefined,
            );
            if (newlyRejects) expect(reported).toBeDefined();

            // Now, and around the forget time of the rule this event went to.
            const touched = model.everything.get(ruleKey(ruleFromEvent(e)));
            compare(now, touched === undefined ? [] : [touched]);
          }
          // And around every rule's forget time once all events are in.
          compare(clock.now, [...model.everything.values()]);
        },
      ),
      { numRuns: 200 },
    );
    // About a second alone; room for a busy machine.
  }, 20_000);

  it('keeps a token rule no shorter than forgetAt, and less than one 16 s step longer', () => {
    fc.assert(
      fc.property(fc.integer({ min: T0 - 10 * L, max: T0 + 10 * L }), (at) => {
        expect(packedForgetAt(at)).toBeGreaterThanOrEqual(at);
        expect(packedForgetAt(at)).toBeLessThan(at + 16_000);
      }),
    );
  });

  it('forgets two events for one jti when the longer-lived of them alone would be forgotten', () => {
    // Issue 20's case: revoked at 0 with exp at 1000 s, and at 500 s with exp at 600 s, tokens
    // of at most 900 s: the first token is invalid from 900 s whatever its exp, so the rule goes
    // then (in the 16 s step that holds 900 s + tolerance), not at 1000 s.
    const s = 1_000;
    const clock = { now: T0 };
    const blocklist = new Blocklist({
      maxTokenLifetimeMs: 900 * s,
      clockToleranceMs: 0,
      now: () => clock.now,
      issuer: common.iss,
    });
    const revoke = (issuedAt: number, expiresAt: number) =>
      blocklist.apply({ ...event({ ...common, kind: 'token', jti: 'j', expiresAt }), issuedAt });
    revoke(T0, T0 + 1_000 * s);
    clock.now = T0 + 500 * s;
    revoke(T0 + 500 * s, T0 + 600 * s);
    const probe = token({ jti: 'j' });
    expect(blocklist.check(probe, packedForgetAt(T0 + 900 * s))).toBeDefined();
    expect(blocklist.check(probe, packedForgetAt(T0 + 900 * s) + 1)).toBeUndefined();
  });
});
