/**
 * A host's relay between a feed and the verifiers on the host, over real loopback HTTP: the
 * relay's feed is driven by hand (ManualFeed), so readiness, contact and restarts are the
 * test's to decide. Outcomes are awaited by polling; nothing asserts a latency.
 */
import { createEvent } from '@revocation-fabric/protocol';
import type { RevocationRule } from '@revocation-fabric/protocol';
import { waitFor } from '@revocation-fabric/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ISSUER, ManualFeed, mint, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { codeOf, trustedIssuer } from '../lib/verifier.fixture.js';
import { createVerifier } from '../verifier.js';
import type { Verifier } from '../verifier.js';
import { createRevocationRelay, relayRevocations } from './index.js';
import type { RelayAddress, RevocationRelay } from './index.js';

let key: SigningKey;
const open: Array<{ close(): Promise<void> }> = [];
const clock = { now: Date.now() };

beforeAll(async () => {
  key = await signingKey('relay-k1');
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
  clock.now = Date.now();
});

const revoke = (sid: string) =>
  createEvent({ kind: 'session', sid, reason: 'logout', actor: 'test', iss: ISSUER });

async function relayOver(
  feed: ManualFeed,
  port = 0,
): Promise<{ relay: RevocationRelay; address: RelayAddress }> {
  const relay = createRevocationRelay({
    revocations: () => feed,
    listen: { port },
    maxTokenLifetimeMs: 15 * 60_000,
    contactIntervalMs: 20,
    now: () => clock.now,
  });
  open.push(relay);
  return { relay, address: await relay.start() };
}

function behind(address: RelayAddress): Verifier {
  const verifier = createVerifier({
    ...trustedIssuer([key]),
    revocations: relayRevocations('url' in address ? { url: address.url } : address),
    maxStalenessMs: 10_000,
    now: () => clock.now,
  });
  open.push(verifier);
  return verifier;
}

const session = async (verifier: Verifier, sid: string) =>
  codeOf(
    verifier.verify(await mint(key, { now: Math.floor(clock.now / 1000) - 5, claims: { sid } })),
  );

describe('revocation relay', () => {
  it('makes its verifiers ready only once its own feed replayed, then streams every event to them', async () => {
    const feed = new ManualFeed();
    const { address } = await relayOver(feed);
    feed.deliver(revoke('s1'));
    const first = behind(address);
    const second = behind(address);
    await waitFor(() => first.stats().applied === 1 && second.stats().applied === 1);
    expect(first.stats().ready).toBe(false);
    expect(await session(first, 's1')).toBe('NOT_READY');

    feed.markReady();
    await Promise.all([first.ready(), second.ready()]);
    const cut: RevocationRule[] = [];
    second.onRevoked((rule) => cut.push(rule));
    feed.deliver(revoke('s2'));
    await waitFor(() => cut.length === 1);
    for (const verifier of [first, second]) {
      expect(await session(verifier, 's1')).toBe('TOKEN_REVOKED');
      expect(await session(verifier, 's2')).toBe('TOKEN_REVOKED');
      expect(await session(verifier, 's3')).toBe('ok');
    }
    // A verifier joining later gets the whole log.
    const late = behind(address);
    await late.ready();
    expect(await session(late, 's2')).toBe('TOKEN_REVOKED');
  });

  it('makes its verifiers stale when it stops hearing from Kafka, and fresh again when it does', async () => {
    const feed = new ManualFeed();
    feed.markReady();
    feed.contactAt = clock.now;
    const { address } = await relayOver(feed);
    const verifier = behind(address);
    await verifier.ready();
    expect(await session(verifier, 's1')).toBe('ok');

    // The relay keeps streaming, but its own feed last heard from Kafka 30 s ago.
    feed.contactAt = clock.now - 30_000;
    await waitFor(() => verifier.stats().stale);
    expect(await session(verifier, 's1')).toBe('STALE');

    feed.contactAt = clock.now;
    await waitFor(() => !verifier.stats().stale);
    expect(await session(verifier, 's1')).toBe('ok');
  });

  it('makes its verifiers stale when it dies, and brings them what they missed once back', async () => {
    const feed = new ManualFeed();
    feed.markReady();
    feed.contactAt = clock.now;
    const { relay, address } = await relayOver(feed);
    if (!('url' in address)) throw new Error('expected a TCP relay');
    const verifier = behind(address);
    await verifier.ready();

    await relay.close();
    clock.now += 30_000;
    expect(await session(verifier, 's9')).toBe('STALE');

    // A new relay on the same port (a new epoch): its log holds an event published meanwhile.
    const restarted = new ManualFeed();
    const { relay: second } = await relayOver(restarted, Number(new URL(address.url).port));
    restarted.deliver(revoke('s9'));
    restarted.markReady();
    restarted.contactAt = clock.now;
    await waitFor(() => second.stats().streams === 1, { timeoutMs: 15_000 });
    await waitFor(async () => (await session(verifier, 's9')) === 'TOKEN_REVOKED');
    expect(verifier.stats().stale).toBe(false);
  });

  it('refuses an address that is not an http URL, and answers 404 off its one path', async () => {
    expect(() => relayRevocations({ url: 'kafka-1:9092' })).toThrow(TypeError);
    expect(() => relayRevocations({ url: 'https://relay.local' })).toThrow(/http:/);
    const { address } = await relayOver(new ManualFeed());
    if (!('url' in address)) throw new Error('expected a TCP relay');
    const answer = await fetch(`${address.url}/elsewhere`);
    expect(answer.status).toBe(404);
  });
});
