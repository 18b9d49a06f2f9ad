import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { TrustedIssuer } from './issuers.js';
import {
  AUDIENCE,
  ISSUER,
  ManualFeed,
  keySet,
  mint,
  revocation,
  signingKey,
} from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { closeAfterEach, codeOf, trustedIssuer } from './lib/verifier.fixture.js';
import type { MultiIssuerVerifierOptions } from './options.js';
import { createVerifier } from './verifier.js';

/** Where the gateway's events come from: the provider's rules are authorized from there only. */
const FROM_GATEWAY = { source: 'auth.revocations.gateway' } as const;

/** A second issuer shaped like an OIDC provider: RS256, its own audience, roles nested. */
const IDP = 'https://idp.test/realms/main';

let ours: SigningKey;
let theirs: SigningKey;
const open = closeAfterEach();

beforeAll(async () => {
  ours = await signingKey('ours-1');
  theirs = await signingKey('idp-1', 'RS256');
});

function issuers(overrides: Partial<TrustedIssuer> = {}): MultiIssuerVerifierOptions['issuers'] {
  return [
    trustedIssuer([ours], { authority: { sources: ['auth.revocations'] } }),
    {
      issuer: IDP,
      authority: { sources: ['auth.revocations.gateway'] },
      audience: 'account',
      algorithms: ['RS256'],
      jwks: keySet(theirs),
      maxTokenLifetimeMs: 300_000,
      claims: {
        sid: 'sid',
        roles: 'realm_access.roles',
        subjectGeneration: null,
        globalGeneration: null,
      },
      ...overrides,
    },
  ];
}

function setup(list = issuers()) {
  const feed = new ManualFeed();
  const verifier = open(createVerifier({ issuers: list, revocations: () => feed }));
  feed.markReady();
  return { feed, verifier };
}

/** A token as an OIDC provider mints it: no generations, roles under realm_access. */
function idpToken(claims: Record<string, unknown> = {}, key = theirs): Promise<string> {
  return mint(key, {
    now: Math.floor(Date.now() / 1000) - 2,
    claims: {
      iss: IDP,
      aud: 'account',
      roles: undefined,
      realm_access: { roles: ['player', 'offline_access'] },
      ...claims,
    },
    header: { typ: 'JWT' },
  });
}

describe('a verifier trusting several issuers', () => {
  it('accepts the tokens of each issuer, each checked against its own keys and audience', async () => {
    const { verifier } = setup();
    const mine = await verifier.verify(await mint(ours));
    expect(mine.claims).toMatchObject({ iss: ISSUER, roles: ['player'] });
    const idp = await verifier.verify(await idpToken());
    expect(idp.claims).toMatchObject({
      iss: IDP,
      sub: 'user-1',
      roles: ['player', 'offline_access'],
    });
    // The other issuer's key, audience or algorithm does not carry over.
    expect(await codeOf(verifier.verify(await idpToken({}, ours)))).toBe('SIGNATURE_INVALID');
    expect(await codeOf(verifier.verify(await idpToken({ aud: AUDIENCE })))).toBe('CLAIM_INVALID');
    expect(await codeOf(verifier.verify(await mint(ours, { claims: { aud: 'account' } })))).toBe(
      'CLAIM_INVALID',
    );
  });

  it('refuses a token whose issuer it does not trust, naming the iss claim', async () => {
    const { verifier } = setup();
    const error = await verifier
      .verify(await mint(ours, { claims: { iss: 'https://elsewhere.test' } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLAIM_INVALID', claim: 'iss' });
    expect(await codeOf(verifier.verify('not.a.jwt'))).toBe('TOKEN_MALFORMED');
  });

  it('applies each issuer’s maximum lifetime', async () => {
    const { verifier } = setup();
    const now = Math.floor(Date.now() / 1000) - 2;
    // 10 minutes: fine for us (15 min default), too long for the provider (5 min).
    expect(await codeOf(verifier.verify(await mint(ours, { now, lifetime: 600 })))).toBe('ok');
    const long = await mint(theirs, {
      now,
      lifetime: 600,
      claims: { iss: IDP, aud: 'account' },
    });
    expect(await codeOf(verifier.verify(long))).toBe('CLAIM_INVALID');
  });

  it('rejects by a rule only the tokens of the issuer the rule names', async () => {
    const { feed, verifier } = setup();
    const mine = await mint(ours, { claims: { sub: 'u1', sid: 's1' } });
    const idp = await idpToken({ sub: 'u1', sid: 's1' });
    expect(await codeOf(verifier.verify(mine))).toBe('ok');
    expect(await codeOf(verifier.verify(idp))).toBe('ok');

    feed.deliver(
      revocation({ kind: 'session', sid: 's1', reason: 'logout', iss: IDP }),
      FROM_GATEWAY,
    );
    expect(await codeOf(verifier.verify(idp))).toBe('TOKEN_REVOKED');
    expect(await codeOf(verifier.verify(mine))).toBe('ok');

    await feed.deliverSigned(
      revocation({ kind: 'global', cutoff: Date.now(), reason: 'emergency' }),
      ours,
    );
    await vi.waitFor(async () => expect(await codeOf(verifier.verify(mine))).toBe('TOKEN_REVOKED'));
    expect(verifier.stats().rulesByIssuer).toEqual({
      [ISSUER]: { token: 0, session: 0, subject: 0, key: 0, global: 1 },
      [IDP]: { token: 0, session: 1, subject: 0, key: 0, global: 0 },
    });
    expect(verifier.stats().rulesByKind).toMatchObject({ session: 1, global: 1 });
  });

  it('re-judges a held token by its own issuer’s rules (check, for sockets)', async () => {
    const { feed, verifier } = setup();
    const idp = await verifier.verify(await idpToken({ sub: 'u1' }));
    const mine = await verifier.verify(await mint(ours, { claims: { sub: 'u1' } }));
    feed.deliver(
      revocation({ kind: 'subject', sub: 'u1', cutoff: Date.now(), reason: 'ban', iss: IDP }),
      FROM_GATEWAY,
    );
    expect(() => verifier.check(idp)).toThrow(expect.objectContaining({ code: 'TOKEN_REVOKED' }));
    expect(() => verifier.check(mine)).not.toThrow();
    expect(() => verifier.check({ ...mine, claims: { ...mine.claims, iss: 'https://x' } })).toThrow(
      expect.objectContaining({ code: 'CLAIM_INVALID', claim: 'iss' }),
    );
  });

  it('judges an issuer without generation claims by iat, ignoring a stray sgen', async () => {
    const { feed, verifier } = setup();
    // An sgen claim from a provider means nothing here: the mapping says it stamps none.
    const idp = await verifier.verify(await idpToken({ sub: 'u1', sgen: 99 }));
    expect(idp.claims.sgen).toBeUndefined();
    feed.deliver(
      revocation({
        kind: 'subject',
        sub: 'u1',
        cutoff: Date.now(),
        generation: 5,
        reason: 'ban',
        iss: IDP,
      }),
      FROM_GATEWAY,
    );
    expect(() => verifier.check(idp)).toThrow(expect.objectContaining({ code: 'TOKEN_REVOKED' }));
  });

  it('maps the session claim an issuer names', async () => {
    const { feed, verifier } = setup(issuers({ claims: { sid: 'session_state' } }));
    const token = await idpToken({ sid: undefined, session_state: 'kc-session' });
    const verified = await verifier.verify(token);
    expect(verified.claims.sid).toBe('kc-session');
    // roles left at the default name: the provider's nested roles are not read.
    expect(verified.claims.roles).toEqual([]);
    feed.deliver(
      revocation({ kind: 'session', sid: 'kc-session', reason: 'logout', iss: IDP }),
      FROM_GATEWAY,
    );
    expect(await codeOf(verifier.verify(token))).toBe('TOKEN_REVOKED');
  });

  it('reads mapped claims from the token’s own claims only, never an inherited property', async () => {
    const { verifier } = setup(
      issuers({ claims: { sid: 'constructor', subjectGeneration: 'toString' } }),
    );
    const verified = await verifier.verify(await idpToken({ sid: undefined }));
    expect(verified.claims.sid).toBeUndefined();
    expect(verified.claims.sgen).toBeUndefined();
  });

  it('names the issuer’s own claim when a mapped claim is malformed', async () => {
    const { verifier } = setup();
    const error = await verifier
      .verify(await idpToken({ realm_access: { roles: 'admin' } }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLAIM_INVALID', claim: 'realm_access.roles' });
  });
});

describe('issuers options', () => {
  const feed = () => new ManualFeed();

  it.each<[string, () => unknown, RegExp]>([
    [
      'an empty list',
      () => createVerifier({ issuers: [] as never, revocations: feed }),
      /^issuers must be a non-empty array/,
    ],
    [
      'an issuer listed twice',
      () => createVerifier({ issuers: [issuers()[0], issuers()[0]], revocations: feed }),
      /^issuers\[1\]\.issuer .* is listed twice/,
    ],
    [
      'a symmetric algorithm',
      () =>
        createVerifier({ issuers: issuers({ algorithms: ['HS256' as never] }), revocations: feed }),
      /^issuers\[1\]\.algorithms: .*HS256.* is not allowed/,
    ],
    [
      'a roles path with an empty part',
      () => createVerifier({ issuers: issuers({ claims: { roles: 'a..b' } }), revocations: feed }),
      /^issuers\[1\]\.claims\.roles must be a dotted claim path/,
    ],
    [
      'single-issuer fields beside issuers',
      () =>
        createVerifier({
          issuers: issuers(),
          issuer: ISSUER,
          revocations: feed,
        } as unknown as MultiIssuerVerifierOptions),
      /^issuer must not be given with issuers/,
    ],
  ])('throws a TypeError for %s', (_name, create, message) => {
    expect(create).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(message) }),
    );
  });
});
