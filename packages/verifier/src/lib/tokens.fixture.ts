/**
 * Test fixtures: real keys and real signed tokens (never a mocked jose), and a feed driven by
 * hand for the verifier's lifecycle. Excluded from the build.
 */
import { randomUUID } from 'node:crypto';
import { BRAKE_SIGNATURE_TYPE, SCHEMA_VERSION } from '@revocation-fabric/protocol';
import type { RevocationEvent, RevocationEventInput } from '@revocation-fabric/protocol';
import { FlattenedSign, SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWTPayload } from 'jose';
import type {
  EventOrigin,
  FeedStats,
  PoisonCode,
  RevocationFeed,
  RevocationSink,
} from '../feed.js';

export const ISSUER = 'https://auth.test';
export const AUDIENCE = 'game-service';

/**
 * A start for a verifier's own clock, far from the real one: code reading `Date.now()` instead
 * of the verifier's `now` would misjudge.
 */
export const START = Date.UTC(2031, 0, 1);

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: Record<string, unknown>;
}

export async function signingKey(kid: string = randomUUID(), alg = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk };
}

export function keySet(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

export interface MintOptions {
  /** Claims to add or override; `undefined` removes a default claim. */
  readonly claims?: Record<string, unknown>;
  /** Override the protected header. */
  readonly header?: Record<string, unknown>;
  /** Seconds since the epoch to use as "now"; default the current clock. */
  readonly now?: number;
  /** Lifetime in seconds; default 300. */
  readonly lifetime?: number;
}

/** Signs an access token with the claims the user-service stamps. */
export async function mint(key: SigningKey, options: MintOptions = {}): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const claims: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    sid: 'session-1',
    jti: randomUUID(),
    iat: now,
    exp: now + (options.lifetime ?? 300),
    auth_time: now,
    roles: ['player'],
    scope: 'scores:read profile',
    ...options.claims,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...options.header })
    .sign(key.privateKey);
}

/**
 * A token minted at `clockMs` (a verifier's clock, not necessarily the real one), valid 15
 * minutes, `authAgeSeconds` after its user logged in.
 */
export function mintAt(
  key: SigningKey,
  clockMs: number,
  authAgeSeconds: number,
  claims: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(clockMs / 1000);
  return mint(key, { now, lifetime: 900, claims: { auth_time: now - authAgeSeconds, ...claims } });
}

/** Signs a record value as a brake, as an issuer does: a detached JWS `<protected>..<signature>`. */
export async function signBrake(
  key: SigningKey,
  payload: string,
  header: Record<string, unknown> = {},
): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: BRAKE_SIGNATURE_TYPE, ...header })
    .sign(key.privateKey);
  return `${jws.protected ?? ''}..${jws.signature}`;
}

/** `Omit` applied to each member of a union, so the members keep their own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a test states of an event: the envelope (actor, issuer) is filled in. */
export type RevocationInput = DistributiveOmit<RevocationEventInput, 'actor' | 'iss'> & {
  iss?: string;
};

/** A revocation event with the envelope filled in. */
export function revocation(input: RevocationInput): RevocationEvent {
  return {
    v: SCHEMA_VERSION,
    id: randomUUID(),
    issuedAt: Date.now(),
    actor: 'test',
    iss: ISSUER,
    ...input,
  };
}

/** A feed the test drives by hand: deliver events, declare readiness, set the last contact. */
export class ManualFeed implements RevocationFeed {
  sink: RevocationSink | undefined;
  contactAt: number | undefined;
  closed = false;
  #ready = false;
  #resolve: () => void = () => {};
  #reject: (error: Error) => void = () => {};
  readonly #promise = new Promise<void>((resolve, reject) => {
    this.#resolve = resolve;
    this.#reject = reject;
  });

  constructor() {
    this.#promise.catch(() => {});
  }

  start(sink: RevocationSink): void {
    this.sink = sink;
  }

  ready(): Promise<void> {
    return this.#promise;
  }

  isReady(): boolean {
    return this.#ready;
  }

  lastContactAt(): number | undefined {
    return this.contactAt;
  }

  stats(): FeedStats {
    return {
      ready: this.#ready,
      lastContactAt: this.contactAt,
      lagByPartition: { 'auth.revocations/0': 0 },
      applied: 0,
      poisonByCode: {},
    };
  }

  markReady(): void {
    this.#ready = true;
    this.contactAt = Date.now();
    this.#resolve();
  }

  deliver(event: RevocationEvent, origin: Partial<EventOrigin> = {}): void {
    if (this.sink === undefined) throw new Error('feed not started');
    this.sink.event(event, {
      source: 'auth.revocations',
      payload: JSON.stringify(event),
      ...origin,
    });
  }

  /** Delivers an event as its issuer publishes a brake: signed with `key`. */
  async deliverSigned(event: RevocationEvent, key: SigningKey): Promise<void> {
    const payload = JSON.stringify(event);
    this.deliver(event, { payload, signature: await signBrake(key, payload) });
  }

  poison(code: PoisonCode): void {
    this.sink?.poison(code);
  }

  close(): Promise<void> {
    this.closed = true;
    if (!this.#ready) this.#reject(new Error('closed'));
    return Promise.resolve();
  }
}
