import { describe, expect, it, beforeAll, vi } from 'vitest';
import {
  ManualFeed,
  keySet,
  mint,
  revocation,
  signBrake,
  signingKey,
} from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { closeAfterEach, codeOf, trustedIssuer } from './lib/verifier.fixture.js';
import type { TrustedIssuer } from './issuers.js';
import { createVerifier } from './verifier.js';

const IDP = 'https://idp.test/realms/main';
const USERS_TOPIC = 'auth.revocations';
const GATEWAY_TOPIC = 'auth.revocations.gateway';

let ours: SigningKey;
let gatewayKey: SigningKey;
const open = closeAfterEach();

beforeAll(async () => {
  ours = await signingKey('ours-1');
  gatewayKey = await signingKey('gateway-1');
});

function setup(overrides: { ours?: Partial<TrustedIssuer>; idp?: Partial<TrustedIssuer> } = {}) {
  const feed = new ManualFeed();
  const verifier = open(
    createVerifier({
      issuers: [
        trustedIssuer([ours], { authority: { sources: [USERS_TOPIC] }, ...overrides.ours }),
        trustedIssuer([ours], {
          issuer: IDP,
          authority: {
            sources: [{ source: GATEWAY_TOPIC, kinds: ['token', 'session', 'subject'] }],
            brakeKeys: false,
          },
          ...overrides.idp,
        }),
      ],
      revocations: () => feed,
    }),
  );
  return { feed, verifier };
}

const earlier = () => ({ now: Math.floor(Date.now() / 1000) - 2 });

describe('issuer authority: who may state an issuer’s rules', () => {
  it('refuses a rule for an issuer from a source that issuer does not name, and counts it', async () => {
    const { feed, verifier } = setup();
    feed.markReady();
    const token = await mint(ours, { claims: { sub: 'u1', sid: 's1' }, ...earlier() });
    // The gateway's topic speaking for the user-service's issuer: refused.
    feed.deliver(revocation({ kind: 'session', sid: 's1', reason: 'logout' }), {
      source: GATEWAY_TOPIC,
    });
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats().refused).toEqual({
      byReason: { SOURCE_NOT_AUTHORIZED: 1 },
      total: 1,
    });
    // The same rule from the issuer's own topic lands: the refusal above was the source's.
    feed.deliver(revocation({ kind: 'session', sid: 's1', reason: 'logout' }), {
      source: USERS_TOPIC,
    });
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('refuses the kinds a source is not granted, applies the others', async () => {
    const { feed, verifier } = setup({
      idp: { authority: { sources: [{ source: GATEWAY_TOPIC, kinds: ['session'] }] } },
    });
    feed.markReady();
    const token = await mint(ours, { claims: { iss: IDP, sub: 'u1', sid: 's1' }, ...earlier() });
    feed.deliver(
      revocation({ kind: 'subject', sub: 'u1', cutoff: Date.now(), reason: 'ban', iss: IDP }),
      { source: GATEWAY_TOPIC },
    );
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats().refused.byReason).toEqual({ SOURCE_NOT_AUTHORIZED: 1 });
    feed.deliver(revocation({ kind: 'session', sid: 's1', reason: 'logout', iss: IDP }), {
      source: GATEWAY_TOPIC,
    });
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('needs each issuer’s sources named when it trusts several', () => {
    expect(() =>
      createVerifier({
        issuers: [trustedIssuer([ours]), trustedIssuer([ours], { issuer: IDP })],
        revocations: () => new ManualFeed(),
      }),
    ).toThrow(/issuers\[0\]\.authority\.sources is required/);
    expect(() =>
      setup({
        ours: {
          authority: { sources: [{ source: USERS_TOPIC, kinds: ['everything' as 'token'] }] },
        },
      }),
    ).toThrow(/authority\.sources\[0\]\.kinds: "everything" is not a rule kind/);
    expect(() => setup({ ours: { authority: { sources: [USERS_TOPIC, USERS_TOPIC] } } })).toThrow(
      /listed twice/,
    );
  });
});

describe('signed brakes', () => {
  const brake = () => revocation({ kind: 'global', cutoff: Date.now(), reason: 'emergency' });

  it('refuses an unsigned global cutoff from the issuer’s own topic, applies a signed one', async () => {
    const { feed, verifier } = setup();
    feed.markReady();
    const token = await mint(ours, earlier());
    feed.deliver(brake());
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats().refused.byReason).toEqual({ BRAKE_UNSIGNED: 1 });
    await feed.deliverSigned(brake(), ours);
    await vi.waitFor(async () =>
      expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED'),
    );
  });

  it('refuses a brake signed by a key the issuer does not hold, over other bytes, or as another type', async () => {
    const { feed, verifier } = setup();
    feed.markReady();
    const token = await mint(ours, earlier());
    const stranger = await signingKey('ours-1'); // same kid, another key pair
    const event = brake();
    const payload = JSON.stringify(event);
    feed.deliver(event, { payload, signature: await signBrake(stranger, payload) });
    const other = JSON.stringify({ ...event, id: 'another' });
    feed.deliver(event, { payload, signature: await signBrake(ours, other) });
    feed.deliver(event, { payload, signature: await signBrake(ours, payload, { typ: 'at+jwt' }) });
    feed.deliver(event, { payload, signature: 'not a jws' });
    await vi.waitFor(() =>
      expect(verifier.stats().refused.byReason).toEqual({ BRAKE_SIGNATURE_INVALID: 4 }),
    );
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    expect(verifier.stats().rulesByKind.global).toBe(0);
  });

  it('never applies the brakes of an issuer configured without brake keys', async () => {
    const { feed, verifier } = setup({
      idp: { authority: { sources: [GATEWAY_TOPIC], brakeKeys: false } },
    });
    feed.markReady();
    const token = await mint(ours, { claims: { iss: IDP }, ...earlier() });
    await feed.deliverSigned(
      revocation({ kind: 'key', kid: ours.kid, reason: 'key-compromise', iss: IDP }),
      ours,
    );
    feed.deliver(revocation({ kind: 'session', sid: 'session-1', reason: 'logout', iss: IDP }), {
      source: GATEWAY_TOPIC,
    });
    expect(verifier.stats().refused.byReason).toMatchObject({ SOURCE_NOT_AUTHORIZED: 1 });
    const fromGateway = revocation({
      kind: 'key',
      kid: ours.kid,
      reason: 'key-compromise',
      iss: IDP,
    });
    const payload = JSON.stringify(fromGateway);
    feed.deliver(fromGateway, {
      source: GATEWAY_TOPIC,
      payload,
      signature: await signBrake(ours, payload),
    });
    expect(verifier.stats().refused.byReason).toMatchObject({ BRAKE_NOT_TRUSTED: 1 });
    // The session rule from the gateway landed; the brake did not.
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
    expect(verifier.stats().rulesByIssuer[IDP]).toMatchObject({ key: 0, session: 1 });
  });

  it('checks a brake against the key set the issuer names for brakes (a gateway signing for a provider)', async () => {
    const { feed, verifier } = setup({
      idp: { authority: { sources: [GATEWAY_TOPIC], brakeKeys: keySet(gatewayKey) } },
    });
    feed.markReady();
    const token = await mint(ours, { claims: { iss: IDP }, ...earlier() });
    const event = revocation({ kind: 'global', cutoff: Date.now(), reason: 'emergency', iss: IDP });
    const payload = JSON.stringify(event);
    // Signed with the provider's token key: not a brake key for this issuer.
    feed.deliver(event, {
      source: GATEWAY_TOPIC,
      payload,
      signature: await signBrake(ours, payload),
    });
    await vi.waitFor(() =>
      expect(verifier.stats().refused.byReason).toEqual({ BRAKE_SIGNATURE_INVALID: 1 }),
    );
    expect(await codeOf(verifier.verify(token))).toBe('ok');
    feed.deliver(event, {
      source: GATEWAY_TOPIC,
      payload,
      signature: await signBrake(gatewayKey, payload),
    });
    await vi.waitFor(async () =>
      expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED'),
    );
  });

  it('is not ready before the brakes read during the replay are checked and applied', async () => {
    const { feed, verifier } = setup();
    const token = await mint(ours, earlier());
    await feed.deliverSigned(brake(), ours);
    feed.markReady();
    await verifier.ready();
    expect(verifier.stats()).toMatchObject({ ready: true, rulesByKind: { global: 1 } });
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });
});
