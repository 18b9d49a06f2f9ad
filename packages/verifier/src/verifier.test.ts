import { createServer } from 'node:net';
import type { RevocationRule } from '@revocation-fabric/protocol';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ISSUER, ManualFeed, mint, revocation, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import {
  closeAfterEach,
  codeOf,
  trustingOptions,
  trustingVerifier,
} from './lib/verifier.fixture.js';
import { resolveKafkaOptions } from './kafka/options.js';
import { kafkaRevocations } from './kafka/kafka-revocations.js';
import { resolveVerifierOptions } from './options.js';
import type { RevocationFeedContext } from './feed.js';
import type { SingleIssuerVerifierOptions, VerifierOptions } from './options.js';
import { createVerifier } from './verifier.js';

let key: SigningKey;
const open = closeAfterEach();

beforeAll(async () => {
  key = await signingKey('k1');
});

afterEach(() => {
  vi.useRealTimers();
});

function baseOptions(): SingleIssuerVerifierOptions {
  return trustingOptions([key]);
}

function setup(overrides: Partial<SingleIssuerVerifierOptions> = {}) {
  const feed = new ManualFeed();
  const verifier = open(trustingVerifier([key], feed, overrides));
  return { feed, verifier };
}

describe('createVerifier options', () => {
  it.each<[string, Partial<Record<keyof VerifierOptions, unknown>>, RegExp]>([
    ['issuer', { issuer: '' }, /^issuer/],
    ['audience', { audience: [] }, /^audience/],
    ['algorithms missing', { algorithms: undefined }, /^algorithms/],
    ['algorithms none', { algorithms: ['none'] }, /^algorithms: "none"/],
    ['algorithms HS256', { algorithms: ['HS256'] }, /^algorithms: "HS256"/],
    ['jwks', { jwks: { url: 'not a url' } }, /^jwks\.url/],
    ['jwks keys', { jwks: { keys: 'x' } }, /^jwks\.keys/],
    ['revocations', { revocations: undefined }, /^revocations/],
    ['now', { now: 5 }, /^now/],
    ['clockToleranceMs', { clockToleranceMs: -1 }, /^clockToleranceMs/],
    ['maxTokenLifetimeMs', { maxTokenLifetimeMs: 1.5 }, /^maxTokenLifetimeMs/],
    ['onStale', { onStale: 'sometimes' }, /^onStale/],
    ['maxStalenessMs', { maxStalenessMs: 0 }, /^maxStalenessMs/],
    ['cacheSize', { cacheSize: -5 }, /^cacheSize/],
    ['logger', { logger: { info() {} } }, /^logger/],
    ['metrics', { metrics: { registry: {} } }, /^metrics\.registry/],
  ])('throws a TypeError naming %s', (_name, override, message) => {
    expect(() => createVerifier({ ...baseOptions(), ...override } as VerifierOptions)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    );
  });

  it('fills in the documented defaults', () => {
    const resolved = resolveVerifierOptions(baseOptions());
    expect(resolved).toMatchObject({
      issuers: [
        {
          issuer: ISSUER,
          maxTokenLifetimeMs: 900_000,
          claims: { sid: 'sid', roles: ['roles'], subjectGeneration: 'sgen', identity: true },
        },
      ],
      clockToleranceMs: 5_000,
      onStale: 'closed',
      maxStalenessMs: 30_000,
      cacheSize: 10_000,
      metrics: undefined,
    });
    // The default clock reads Date.now at each call (not a reference taken at construction),
    // so fake timers installed afterwards apply to it.
    vi.useFakeTimers({ toFake: ['Date'], now: 1_234_567 });
    expect(resolved.now()).toBe(1_234_567);
  });
});

describe('kafkaRevocations options', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['brokers', { brokers: [] }, /^kafka\.brokers/],
    ['topic', { brokers: ['b:9092'], topic: 3 }, /^kafka\.topic/],
    ['sasl', { brokers: ['b:9092'], sasl: { mechanism: 'gssapi' } }, /^kafka\.sasl/],
    ['tls', { brokers: ['b:9092'], tls: 'yes' }, /^kafka\.tls/],
  ])('throws a TypeError naming %s', (_name, options, message) => {
    // The connection's options throw kafka-connection's KafkaOptionError, a TypeError subclass.
    expect(() => kafkaRevocations(options as never)).toThrow(TypeError);
    expect(() => kafkaRevocations(options as never)).toThrow(message);
  });

  it('fills in the documented defaults', () => {
    expect(resolveKafkaOptions({ brokers: ['b:9092'] })).toMatchObject({
      topics: ['auth.revocations'],
      clientId: 'revocation-verifier',
      connectionTimeoutMs: 3_000,
    });
  });
});

describe('Verifier lifecycle', () => {
  it('answers NOT_READY until the feed has replayed, then verifies', async () => {
    const { feed, verifier } = setup();
    const token = await mint(key);
    expect(await codeOf(verifier.verify(token))).toBe('NOT_READY');
    expect(() =>
      verifier.check({
        claims: { sub: 'x', iat: 0, exp: 0, roles: [] },
        kid: undefined,
        scopes: [],
      }),
    ).toThrow(expect.objectContaining({ code: 'NOT_READY' }));
    expect(verifier.stats()).toMatchObject({ ready: false, serving: false });
    feed.markReady();
    await verifier.ready();
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats()).toMatchObject({ ready: true, serving: true });
  });

  it('rejects a token revoked during the replay from its first ready moment', async () => {
    const { feed, verifier } = setup();
    const token = await mint(key, { now: Math.floor(Date.now() / 1000) - 1 });
    feed.deliver(revocation({ kind: 'session', sid: 'session-1', reason: 'logout' }));
    feed.markReady();
    await verifier.ready();
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('emits revoked for live rules that newly restrict, not for the replay or duplicates', async () => {
    const { feed, verifier } = setup();
    const seen: RevocationRule[] = [];
    const listener = (rule: RevocationRule) => seen.push(rule);
    const unsubscribe = verifier.onRevoked(listener);
    verifier.onRevoked(() => {
      throw new Error('a broken listener does not stop the others');
    });
    feed.deliver(revocation({ kind: 'session', sid: 'replayed', reason: 'logout' }));
    feed.markReady();
    const live = revocation({ kind: 'session', sid: 'live', reason: 'logout' });
    feed.deliver(live);
    feed.deliver(live);
    feed.deliver(revocation({ kind: 'session', sid: 'replayed', reason: 'logout' }));
    expect(seen.map((r) => r.target)).toEqual(['live']);
    unsubscribe();
    unsubscribe();
    // A listener still subscribed makes the next emission observable, so the check below is not
    // made before an emission that might still be on its way.
    const stillSubscribed: string[] = [];
    verifier.onRevoked((rule) => stillSubscribed.push(rule.target));
    await feed.deliverSigned(revocation({ kind: 'key', kid: 'k9', reason: 'key-compromise' }), key);
    await vi.waitFor(() => expect(stillSubscribed).toEqual(['k9']));
    expect(seen).toHaveLength(1);
    // The rule did land: the unsubscribed listener missed it, not the verifier.
    expect(verifier.stats().rulesByKind.key).toBe(1);
  });

  it('builds its feed once, handing it the verifier’s logger, clock and tolerance', async () => {
    const feed = new ManualFeed();
    const contexts: RevocationFeedContext[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const verifier = open(
      createVerifier({
        ...baseOptions(),
        clockToleranceMs: 2_000,
        logger,
        now: () => 42,
        revocations: (context) => {
          contexts.push(context);
          return feed;
        },
      }),
    );
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ logger, clockToleranceMs: 2_000 });
    expect(contexts[0]?.now()).toBe(42);
    // The verifier starts the feed it was given and answers through it.
    await vi.waitFor(() => expect(feed.sink).toBeDefined());
    feed.markReady();
    await verifier.ready();
    expect(verifier.stats().ready).toBe(true);
  });

  it('keeps a listener subscribed twice until both subscriptions end', () => {
    const { feed, verifier } = setup();
    feed.markReady();
    const seen: string[] = [];
    const listener = (rule: RevocationRule) => seen.push(rule.target);
    const first = verifier.onRevoked(listener);
    verifier.onRevoked(listener);
    first();
    feed.deliver(revocation({ kind: 'session', sid: 'twice', reason: 'logout' }));
    expect(seen).toEqual(['twice']);
    expect(() => verifier.onRevoked(undefined as never)).toThrow(TypeError);
  });

  it('reads time from the now option: jose, the cache, the blocklist and staleness', async () => {
    let clock = Date.now();
    const { feed, verifier } = setup({ now: () => clock, maxStalenessMs: 10_000 });
    feed.markReady();
    feed.contactAt = clock;
    const token = await mint(key, { now: Math.floor(clock / 1000), lifetime: 60 });
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    // Past exp by the injected clock only: the cached entry and jose both refuse.
    clock += 70_000;
    feed.contactAt = clock;
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_EXPIRED');
    // A token minted "in the future" of the real clock is fine by the injected one.
    const later = await mint(key, { now: Math.floor(clock / 1000) });
    expect(await codeOf(verifier.verify(later))).toBe('ok');
    clock += 10_001;
    expect(await codeOf(verifier.verify(later))).toBe('STALE');
    expect(verifier.stats()).toMatchObject({ stale: true, serving: false });
  });

  it('ignores revocations of another issuer', async () => {
    const { feed, verifier } = setup();
    feed.markReady();
    feed.deliver(
      revocation({ kind: 'global', cutoff: Date.now(), reason: 'emergency', iss: 'https://other' }),
    );
    const token = await mint(key, { now: Math.floor(Date.now() / 1000) - 2 });
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats()).toMatchObject({ ignored: 1, rulesByKind: { global: 0 } });
  });

  it('rejects with STALE after maxStalenessMs without contact when onStale is closed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { feed, verifier } = setup({ maxStalenessMs: 10_000 });
    feed.markReady();
    const token = await mint(key);
    vi.setSystemTime(Date.now() + 10_001);
    expect(await codeOf(verifier.verify(token))).toBe('STALE');
    expect(verifier.stats()).toMatchObject({ ready: true, stale: true, serving: false });
    feed.contactAt = Date.now();
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats()).toMatchObject({ stale: false, serving: true });
  });

  it('keeps accepting while stale when onStale is open, and says so in stats', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { feed, verifier } = setup({ maxStalenessMs: 10_000, onStale: 'open' });
    feed.markReady();
    const token = await mint(key, { now: Math.floor(Date.now() / 1000) - 1 });
    vi.setSystemTime(Date.now() + 60_000);
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats()).toMatchObject({ stale: true, serving: true });
    // The blocklist still applies: only the freshness guarantee is given up.
    feed.deliver(revocation({ kind: 'session', sid: 'session-1', reason: 'logout' }));
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('answers NOT_READY after close, and ready() rejects when closed first', async () => {
    const { feed, verifier } = setup();
    const ready = verifier.ready();
    await verifier.close();
    await expect(ready).rejects.toThrow();
    expect(feed.closed).toBe(true);
    expect(await codeOf(verifier.verify(await mint(key)))).toBe('NOT_READY');
    expect(verifier.stats()).toMatchObject({ ready: false, serving: false });
  });

  it('reports JWKS_UNAVAILABLE when the remote key set cannot be fetched', async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const { feed, verifier } = setup({ jwks: { url: `http://127.0.0.1:${port}/jwks.json` } });
      feed.markReady();
      expect(await codeOf(verifier.verify(await mint(key)))).toBe('JWKS_UNAVAILABLE');
    } finally {
      server.close();
    }
  });
});

describe('Verifier metrics', () => {
  it('exposes blocklist, feed and verification metrics in the injected registry', async () => {
    const registry = new Registry();
    const { feed, verifier } = setup({ metrics: { registry, prefix: 'test_' } });
    await vi.waitFor(() => expect(feed.sink).toBeDefined());
    feed.markReady();
    feed.deliver(revocation({ kind: 'session', sid: 'session-1', reason: 'logout' }));
    feed.poison('EVENT_NOT_JSON');
    await verifier.verify(await mint(key)).catch(() => {});
    const text = await registry.metrics();
    expect(text).toContain('test_blocklist_rules{kind="session"} 1');
    expect(text).toContain('test_events_applied_total 1');
    expect(text).toContain('test_poison_events_total{code="EVENT_NOT_JSON"} 1');
    expect(text).toContain('test_verifications_total{outcome="TOKEN_REVOKED"} 1');
    expect(text).toContain('test_event_apply_delay_seconds_count 1');
    expect(text).toContain('test_ready 1');
    expect(text).toContain('test_stale 0');
    expect(() => setup({ metrics: { registry, prefix: 'test_' } })).toThrow(/already registered/);
    await verifier.close();
    expect(await registry.metrics()).not.toContain('test_');
  });
});
