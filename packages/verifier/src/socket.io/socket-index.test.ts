import { ruleFromEvent } from '@revocation-fabric/protocol';
import type { TokenFacts } from '@revocation-fabric/protocol';
import { describe, expect, it } from 'vitest';
import { revocation } from '../lib/tokens.fixture.js';
import { SocketIndex } from './socket-index.js';

interface Entry {
  readonly name: string;
  facts: TokenFacts;
}

function entry(name: string, facts: Partial<TokenFacts> = {}): Entry {
  return {
    name,
    facts: {
      sub: `sub-${name}`,
      sid: `sid-${name}`,
      jti: `jti-${name}`,
      kid: 'k1',
      issuedAt: 1_000,
      ...facts,
    },
  };
}

function names(entries: readonly Entry[]): string[] {
  return entries.map((e) => e.name).sort();
}

describe('SocketIndex', () => {
  it('cuts by generation only until the cutoff + the tolerance it was given, as the blocklist does', () => {
    const rule = ruleFromEvent(
      revocation({ kind: 'subject', sub: 'u1', cutoff: 10_000, generation: 9, reason: 'ban' }),
    );
    // Issued 2 s after the cutoff with an older generation: inside 5 s, outside 1 s.
    const late = entry('late', { sub: 'u1', issuedAt: 12_000, sgen: 3 });
    const strict = new SocketIndex<Entry>(1_000);
    strict.add(late);
    expect(names(strict.matching(rule))).toEqual([]);
    const lenient = new SocketIndex<Entry>(5_000);
    lenient.add(late);
    expect(names(lenient.matching(rule))).toEqual(['late']);
  });

  it('finds the entries of a session, a token, a subject and a key by lookup', () => {
    const index = new SocketIndex<Entry>();
    const a = entry('a', { sub: 'u1', sid: 's1' });
    const b = entry('b', { sub: 'u1', sid: 's1' });
    const c = entry('c', { sub: 'u1', sid: 's2', kid: 'k2' });
    const d = entry('d', { sub: 'u2', sid: 's3' });
    for (const e of [a, b, c, d]) index.add(e);

    const session = ruleFromEvent(revocation({ kind: 'session', sid: 's1', reason: 'logout' }));
    expect(names(index.matching(session))).toEqual(['a', 'b']);
    const token = ruleFromEvent(
      revocation({ kind: 'token', jti: 'jti-c', expiresAt: 9e12, reason: 'admin' }),
    );
    expect(names(index.matching(token))).toEqual(['c']);
    const subject = ruleFromEvent(
      revocation({ kind: 'subject', sub: 'u1', cutoff: 2_000, reason: 'ban' }),
    );
    expect(names(index.matching(subject))).toEqual(['a', 'b', 'c']);
    const key = ruleFromEvent(revocation({ kind: 'key', kid: 'k2', reason: 'key-compromise' }));
    expect(names(index.matching(key))).toEqual(['c']);
  });

  it('judges bucket candidates with the rule: a subject cutoff spares later tokens', () => {
    const index = new SocketIndex<Entry>();
    const early = entry('early', { sub: 'u1', issuedAt: 1_000 });
    const late = entry('late', { sub: 'u1', issuedAt: 5_000 });
    index.add(early);
    index.add(late);
    const subject = ruleFromEvent(
      revocation({ kind: 'subject', sub: 'u1', cutoff: 3_000, reason: 'logout-all' }),
    );
    expect(names(index.matching(subject))).toEqual(['early']);
    const global = ruleFromEvent(
      revocation({ kind: 'global', cutoff: 3_000, reason: 'emergency' }),
    );
    expect(names(index.matching(global))).toEqual(['early']);
  });

  it('forgets removed entries and empty buckets, and re-indexes changed facts', () => {
    const index = new SocketIndex<Entry>();
    const a = entry('a', { sid: 's1' });
    index.add(a);
    index.add(a);
    expect(index.size).toBe(1);
    expect(index.remove(a)).toBe(true);
    expect(index.remove(a)).toBe(false);
    expect(index.size).toBe(0);

    index.add(a);
    index.remove(a);
    a.facts = { ...a.facts, sid: 's2', jti: 'jti-new' };
    index.add(a);
    const old = ruleFromEvent(revocation({ kind: 'session', sid: 's1', reason: 'logout' }));
    const current = ruleFromEvent(revocation({ kind: 'session', sid: 's2', reason: 'logout' }));
    expect(index.matching(old)).toEqual([]);
    expect(names(index.matching(current))).toEqual(['a']);
  });

  it('keeps lookups to one bucket among many thousands of entries', () => {
    const index = new SocketIndex<Entry>();
    for (let i = 0; i < 50_000; i += 1) index.add(entry(String(i), { sub: `u${i % 5_000}` }));
    const session = ruleFromEvent(
      revocation({ kind: 'session', sid: 'sid-4242', reason: 'logout' }),
    );
    expect(names(index.matching(session))).toEqual(['4242']);
    const subject = ruleFromEvent(
      revocation({ kind: 'subject', sub: 'u7', cutoff: 2_000, reason: 'ban' }),
    );
    expect(index.matching(subject)).toHaveLength(10);
  });
});

describe('SocketIndex with several issuers', () => {
  it('cuts only the connections of the issuer a rule names, even for the same subject name', () => {
    const index = new SocketIndex<Entry>();
    const ours = entry('ours', { sub: 'u1', sid: 's1', iss: 'https://auth.test' });
    const theirs = entry('theirs', { sub: 'u1', sid: 's1', iss: 'https://idp.test' });
    index.add(ours);
    index.add(theirs);
    const subject = ruleFromEvent(
      revocation({
        kind: 'subject',
        sub: 'u1',
        cutoff: 2_000,
        reason: 'ban',
        iss: 'https://idp.test',
      }),
    );
    expect(names(index.matching(subject))).toEqual(['theirs']);
    const session = ruleFromEvent(revocation({ kind: 'session', sid: 's1', reason: 'logout' }));
    expect(names(index.matching(session))).toEqual(['ours']);
    const global = ruleFromEvent(
      revocation({ kind: 'global', cutoff: 2_000, reason: 'emergency', iss: 'https://idp.test' }),
    );
    expect(names(index.matching(global))).toEqual(['theirs']);
  });
});
