/**
 * Inputs for the gateway's tests: keys the test generates (jose), a JWKS served from this
 * process (the test's own keys, not an imitation of a provider), and signers for logout tokens
 * and SETs whose every claim a test can change. Not part of the build.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, createRemoteJWKSet, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload, JWTVerifyGetKey } from 'jose';
import { suiteFixture } from '@revocation-fabric/testkit';
import { afterAll, beforeAll } from 'vitest';
import { SignalRefusedError } from '../signals/refusal.js';
import type { RefusalCode } from '../signals/refusal.js';

/** A signing key and its public JWK. */
export interface TestKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Generates a key. */
export async function testKey(alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/** An HTTP server serving `/jwks` (and any JSON documents given) from this process. */
export interface KeyServer {
  readonly url: string;
  readonly jwksUrl: string;
  close(): Promise<void>;
}

/** Serves the public keys of `keys` at `/jwks`, and `documents` at their paths. */
export async function serveKeys(
  keys: readonly TestKey[],
  documents: Readonly<Record<string, (base: string) => unknown>> = {},
): Promise<KeyServer> {
  let base = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const document =
      path === '/jwks' ? { keys: keys.map((k) => k.publicJwk) } : documents[path]?.(base);
    if (document === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    jwksUrl: `${base}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The code `verification` is refused with; a different failure propagates, and an accepted
 * signal is an error naming `what`.
 */
export async function refusalOf(
  verification: Promise<unknown>,
  what: string,
): Promise<RefusalCode> {
  try {
    await verification;
  } catch (error) {
    if (error instanceof SignalRefusedError) return error.code;
    throw error;
  }
  throw new Error(`${what} was accepted`);
}

/** The keys of a token-verification test file. */
export interface VerificationKeys {
  /** An RS256 key the provider publishes. */
  readonly key: TestKey;
  /** An RS256 key it does not publish. */
  readonly stranger: TestKey;
  /** Keys of the other algorithms asked for, published too. */
  readonly others: readonly TestKey[];
  /** The published keys as a verifier fetches them: a remote JWKS. */
  readonly keys: JWTVerifyGetKey;
}

/**
 * Gives the calling file the keys of {@link VerificationKeys}, served from this process before
 * its tests and no longer after them.
 */
export function useVerificationKeys(otherAlgorithms: readonly string[] = []): VerificationKeys {
  const fixture = suiteFixture('the verification keys', async (onStop) => {
    const key = await testKey('RS256');
    const others = await Promise.all(otherAlgorithms.map((alg) => testKey(alg)));
    const server = await serveKeys([key, ...others]);
    onStop(() => server.close());
    const keys = createRemoteJWKSet(new URL(server.jwksUrl));
    return { key, stranger: await testKey('RS256'), others, keys };
  });
  beforeAll(fixture.setUp);
  afterAll(fixture.tearDown);
  return fixture.view;
}

/** The back-channel-logout event URI. */
export const BCL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Signs any payload with `key` and the given header. */
export async function sign(
  key: TestKey,
  payload: JWTPayload,
  header: { typ?: string; alg?: string; kid?: string } = {},
): Promise<string> {
  const protectedHeader: { alg: string; kid: string; typ?: string } = {
    alg: header.alg ?? key.alg,
    kid: header.kid ?? key.kid,
  };
  if (header.typ !== undefined) protectedHeader.typ = header.typ;
  return new SignJWT(payload).setProtectedHeader(protectedHeader).sign(key.privateKey);
}

/**
 * The claims every signed test token starts with: `issuer`, `audience`, issued at `nowMs`, a
 * fresh jti.
 */
function issuedClaims(issuer: string, audience: string, nowMs: number) {
  return { iss: issuer, aud: audience, iat: Math.floor(nowMs / 1000), jti: randomUUID() };
}

/** `claims` with `overrides`: a value replaces a claim, `undefined` removes it. */
function overridden(
  claims: Record<string, unknown>,
  overrides: Record<string, unknown>,
): JWTPayload {
  const result: Record<string, unknown> = { ...claims, ...overrides };
  for (const [name, value] of Object.entries(result)) if (value === undefined) delete result[name];
  return result;
}

/** A valid logout token's claims at `nowMs`; `overrides` replace or (with `undefined`) remove claims. */
export function logoutClaims(
  issuer: string,
  clientId: string,
  nowMs: number,
  overrides: Record<string, unknown> = {},
): JWTPayload {
  const issued = issuedClaims(issuer, clientId, nowMs);
  return overridden(
    {
      ...issued,
      exp: issued.iat + 120,
      sub: 'user-1',
      sid: 'session-1',
      events: { [BCL_EVENT]: {} },
    },
    overrides,
  );
}

/**
 * A logout token for the client `gateway` of `issuer`, signed by `key` now; `overrides` as for
 * {@link logoutClaims}.
 */
export function signLogoutToken(
  key: TestKey,
  issuer: string,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  return sign(key, logoutClaims(issuer, 'gateway', Date.now(), overrides), { typ: 'logout+jwt' });
}

/** A valid SET's claims at `nowMs` carrying one event; `overrides` as for {@link logoutClaims}. */
export function setClaims(
  issuer: string,
  audience: string,
  nowMs: number,
  event: {
    readonly type: string;
    readonly body?: Record<string, unknown>;
    readonly subject: unknown;
  },
  overrides: Record<string, unknown> = {},
): JWTPayload {
  const issued = issuedClaims(issuer, audience, nowMs);
  return overridden(
    {
      ...issued,
      events: { [event.type]: { event_timestamp: issued.iat, ...event.body } },
      sub_id: event.subject,
    },
    overrides,
  );
}

/**
 * A provider `name` of `issuer` whose RS256 keys are at `jwksUrl`, sending back-channel logouts
 * to the client `gateway`; `more` adds fields (an `ssf` block) or replaces them.
 */
export function logoutProvider(
  name: string,
  issuer: string,
  jwksUrl: string,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    issuer,
    jwksUrl,
    algorithms: ['RS256'],
    maxTokenLifetimeMs: 900_000,
    backchannelLogout: { clientId: 'gateway' },
    ...more,
  };
}
