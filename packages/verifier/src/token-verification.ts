/**
 * The hot path: token string → verified claims (from the cache or from jose) → revocation
 * check. The revocation check runs on every call, cache hit or not, so a rule applied a
 * millisecond ago rejects a token that was verified (and cached) a minute ago.
 */
import { decodeJwt, jwtVerify } from 'jose';
import type { JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Blocklist } from './blocklist.js';
import { factsOf, readClaims } from './claims.js';
import type { VerifiedToken } from './claims.js';
import type { ResolvedIssuer } from './issuers.js';
import type { TokenFacts } from '@revocation-fabric/protocol';
import {
  ClaimInvalidError,
  TokenExpiredError,
  TokenMalformedError,
  TokenMissingError,
  TokenNotYetValidError,
  TokenRevokedError,
} from './errors.js';
import { fromJoseError } from './lib/jose-error.js';

/**
 * Longest token string accepted, in characters. Access tokens are well under 2 KiB; the bound
 * keeps an attacker from making the verifier hash (and the cache hold) megabyte strings.
 */
export const MAX_TOKEN_LENGTH = 8_192;

/** One trusted issuer as verification needs it: its settings, keys and rules. */
export interface IssuerTrust {
  readonly issuer: ResolvedIssuer;
  /** Resolves the verification key from the JWS header (the issuer's local or remote JWKS). */
  readonly keys: JWTVerifyGetKey;
  /** This issuer's rules: no other issuer's rule can reach its tokens. */
  readonly blocklist: Blocklist;
}

/** What {@link TokenVerification} needs, already validated by the verifier's factory. */
export interface TokenVerificationOptions {
  /** At least one, each `iss` once. */
  readonly issuers: readonly IssuerTrust[];
  /** ms */
  readonly clockToleranceMs: number;
  /** Verified-token cache capacity in entries; 0 disables the cache. */
  readonly cacheSize: number;
  /** The clock, ms since the epoch. */
  readonly now: () => number;
  /**
   * Throws when the verifier cannot judge right now (NOT_READY, STALE). `now` is the clock
   * reading of the call being judged, so one decision reads the clock once.
   */
  readonly assertServing: (now: number) => void;
}

/** An issuer's trust with jose's options for it, built once. */
interface IssuerVerification extends IssuerTrust {
  readonly joseOptions: JWTVerifyOptions;
}

/** A cache entry: the verification, its revocation facts, and when it stops being served. */
interface CacheEntry {
  readonly verified: VerifiedToken;
  readonly facts: TokenFacts;
  /** The rules of the token's issuer. */
  readonly blocklist: Blocklist;
  /** `exp` in ms. */
  readonly expiresAt: number;
}

/**
 * Verifies tokens against the trusted issuer their `iss` names — its pinned algorithms, keys
 * and audience — caches the result until the token's `exp`, and rejects revoked tokens on every
 * call, by that issuer's rules. The verifier calls {@link TokenVerification.verifyCached} and,
 * on a miss, {@link TokenVerification.verifyUncached}.
 */
export class TokenVerification {
  readonly #options: TokenVerificationOptions;
  /** jose's options per issuer, built once: the verifier's options are fixed at creation. */
  readonly #issuers: ReadonlyMap<string, IssuerVerification>;
  /** The issuer when there is only one: no need to read `iss` before jose checks it. */
  readonly #only: IssuerVerification | undefined;
  readonly #cache: LRUCache<string, CacheEntry> | undefined;

  constructor(options: TokenVerificationOptions) {
    this.#options = options;
    const { clockToleranceMs } = options;
    this.#issuers = new Map(
      options.issuers.map((trust) => {
        const { issuer, audience, algorithms } = trust.issuer;
        const joseOptions: JWTVerifyOptions = {
          algorithms: [...algorithms],
          issuer,
          audience: typeof audience === 'string' ? audience : [...audience],
          requiredClaims: ['exp', 'iat', 'sub'],
          // jose counts tolerance in seconds; fractions are fine.
          clockTolerance: clockToleranceMs / 1000,
        };
        return [issuer, { ...trust, joseOptions }];
      }),
    );
    this.#only = this.#issuers.size === 1 ? [...this.#issuers.values()][0] : undefined;
    this.#cache =
      options.cacheSize > 0
        ? // No TTL in the cache itself: every hit is checked against the entry's `exp` with
          // the verifier's clock (see #cached), which already drops expired entries when they
          // are touched, and the LRU evicts the untouched ones. A TTL would only read the
          // clock a second time on every hit.
          new LRUCache<string, CacheEntry>({ max: options.cacheSize })
        : undefined;
  }

  /**
   * The synchronous part of a verification: the input and serving checks, then, on a cache hit,
   * the revocation check. A cache hit thus costs no promise or microtask of its own.
   *
   * @returns the verified token on a cache hit; `undefined` on a miss, after which the caller
   *   must finish with {@link verifyUncached}.
   * @throws a {@link VerifierError} subclass for every refusal.
   */
  verifyCached(token: string): VerifiedToken | undefined {
    if (typeof token !== 'string' || token.length === 0) throw new TokenMissingError();
    const now = this.#options.now();
    this.#options.assertServing(now);
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new TokenMalformedError({
        message: `token is longer than ${MAX_TOKEN_LENGTH} characters`,
      });
    }
    const hit = this.#cached(token, now);
    if (hit === undefined) return undefined;
    assertNotRevoked(hit.blocklist, hit.facts, now);
    return hit.verified;
  }

  /**
   * The rest of a verification after {@link verifyCached} returned `undefined`: the signature
   * and claim checks, then the revocation check.
   *
   * @throws a {@link VerifierError} subclass for every refusal.
   */
  async verifyUncached(token: string): Promise<VerifiedToken> {
    const trust = this.#issuerOf(token);
    const verified = await this.#verifySignature(token, trust);
    assertNotRevoked(trust.blocklist, factsOf(verified), this.#options.now());
    return verified;
  }

  /**
   * Re-judges a token verified earlier: still unexpired and not revoked. Synchronous, for
   * adapters that hold verified claims (a socket.io connection checks on every event).
   *
   * @throws {@link TokenExpiredError}, {@link TokenRevokedError}, {@link ClaimInvalidError} for
   *   a token of an issuer this verifier does not trust, or what `assertServing` throws.
   */
  check(token: VerifiedToken): void {
    const now = this.#options.now();
    this.#options.assertServing(now);
    const iss = token.claims.iss;
    const trust = iss === undefined ? undefined : this.#issuers.get(iss);
    if (trust === undefined) throw untrusted();
    if (now > token.claims.exp * 1000 + this.#options.clockToleranceMs) {
      throw new TokenExpiredError({ message: 'token has expired' });
    }
    assertNotRevoked(trust.blocklist, factsOf(token), now);
  }

  /** Drops every cached verification. */
  clear(): void {
    this.#cache?.clear();
  }

  #cached(token: string, now: number): CacheEntry | undefined {
    const cache = this.#cache;
    if (cache === undefined) return undefined;
    const hit = cache.get(token);
    if (hit === undefined) return undefined;
    // The only expiry of an entry: it is served until the token's `exp`, by the verifier's
    // clock, whatever that clock did since the entry was stored.
    if (now >= hit.expiresAt) {
      cache.delete(token);
      return undefined;
    }
    return hit;
  }

  /**
   * The trusted issuer a token names. Its `iss` is read before the signature is checked only
   * to choose whose keys check it; jose then verifies `iss` against that very issuer.
   */
  #issuerOf(token: string): IssuerVerification {
    if (this.#only !== undefined) return this.#only;
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch (error) {
      throw fromJoseError(error);
    }
    const trust = typeof iss === 'string' ? this.#issuers.get(iss) : undefined;
    if (trust === undefined) throw untrusted();
    return trust;
  }

  async #verifySignature(token: string, trust: IssuerVerification): Promise<VerifiedToken> {
    const { clockToleranceMs } = this.#options;
    const { maxTokenLifetimeMs } = trust.issuer;
    let verified: VerifiedToken;
    try {
      // jose judges exp/nbf by the verifier's clock, not its own Date.now().
      const { payload, protectedHeader } = await jwtVerify(token, trust.keys, {
        ...trust.joseOptions,
        currentDate: new Date(this.#options.now()),
      });
      verified = readClaims(payload, protectedHeader.kid, trust.issuer.claims);
    } catch (error) {
      throw fromJoseError(error);
    }
    const now = this.#options.now();
    const { iat, exp } = verified.claims;
    // jose checks `iat` only together with maxTokenAge; a token from the future would otherwise
    // slip under every cutoff rule issued before its claimed issue time.
    if (iat * 1000 > now + clockToleranceMs) {
      throw new TokenNotYetValidError({
        message: 'token is not valid yet ("iat" is in the future)',
      });
    }
    // Rules are forgotten one maximum lifetime after they were issued: a longer-lived token
    // could outlive the rule that revoked it.
    if ((exp - iat) * 1000 > maxTokenLifetimeMs) {
      throw new ClaimInvalidError({
        message: `token lifetime ${exp - iat} s exceeds the maximum of ${maxTokenLifetimeMs / 1000} s`,
        claim: 'exp',
      });
    }
    const expiresAt = exp * 1000;
    if (this.#cache !== undefined && expiresAt > now) {
      this.#cache.set(token, {
        verified,
        facts: factsOf(verified),
        blocklist: trust.blocklist,
        expiresAt,
      });
    }
    return verified;
  }
}

function assertNotRevoked(blocklist: Blocklist, facts: TokenFacts, now: number): void {
  const match = blocklist.check(facts, now);
  if (match !== undefined) throw new TokenRevokedError(match);
}

function untrusted(): ClaimInvalidError {
  return new ClaimInvalidError({ message: 'token issuer is not trusted', claim: 'iss' });
}
