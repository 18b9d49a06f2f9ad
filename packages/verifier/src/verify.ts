/**
 * The hot path: token string → verified claims (from the cache or from jose) → revocation
 * check. The revocation check runs on every call, cache hit or not, so a rule applied a
 * millisecond ago rejects a token that was verified (and cached) a minute ago.
 */
import { jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Blocklist } from './blocklist.js';
import { readClaims, tokenFacts } from './claims.js';
import type { VerifiedToken } from './claims.js';
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

/** What {@link TokenVerification} needs, already validated by the verifier's factory. */
export interface TokenVerificationOptions {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms: readonly string[];
  /** Resolves the verification key from the JWS header (a local or remote JWKS). */
  readonly keys: JWTVerifyGetKey;
  /** ms */
  readonly clockToleranceMs: number;
  /** ms */
  readonly maxTokenLifetimeMs: number;
  /** Verified-token cache capacity in entries; 0 disables the cache. */
  readonly cacheSize: number;
  /** The clock, ms since the epoch. */
  readonly now: () => number;
  /** Throws when the verifier cannot judge right now (NOT_READY, STALE). */
  readonly assertServing: () => void;
}

/**
 * Verifies tokens against pinned algorithms, issuer and audience, caches the result until the
 * token's `exp`, and rejects revoked tokens on every call.
 */
export class TokenVerification {
  readonly #options: TokenVerificationOptions;
  readonly #blocklist: Blocklist;
  readonly #cache: LRUCache<string, VerifiedToken> | undefined;

  constructor(options: TokenVerificationOptions, blocklist: Blocklist) {
    this.#options = options;
    this.#blocklist = blocklist;
    this.#cache =
      options.cacheSize > 0
        ? new LRUCache<string, VerifiedToken>({
            max: options.cacheSize,
            // Entries die with their token; expired ones are dropped when touched or evicted,
            // never by a timer per entry.
            ttlAutopurge: false,
            allowStale: false,
            updateAgeOnGet: false,
            // The verifier's clock, so cache expiry and `exp` checks agree (and tests can
            // move one clock); resolution 0 reads it on every check rather than caching it.
            perf: { now: options.now },
            ttlResolution: 0,
          })
        : undefined;
  }

  /**
   * Verifies a compact JWS access token and checks it against the blocklist.
   *
   * @throws a {@link VerifierError} subclass for every refusal.
   */
  async verify(token: string): Promise<VerifiedToken> {
    if (typeof token !== 'string' || token.length === 0) throw new TokenMissingError();
    this.#options.assertServing();
    if (token.length > MAX_TOKEN_LENGTH) {
      throw new TokenMalformedError(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
    }
    const verified = this.#cached(token) ?? (await this.#verifySignature(token));
    this.#assertNotRevoked(verified);
    return verified;
  }

  /**
   * Re-judges a token verified earlier: still unexpired and not revoked. Synchronous, for
   * adapters that hold verified claims (a socket.io connection checks on every event).
   *
   * @throws {@link TokenExpiredError}, {@link TokenRevokedError}, or what `assertServing` throws.
   */
  check(token: VerifiedToken): void {
    this.#options.assertServing();
    if (this.#options.now() > token.claims.exp * 1000 + this.#options.clockToleranceMs) {
      throw new TokenExpiredError('token has expired');
    }
    this.#assertNotRevoked(token);
  }

  /** Drops every cached verification. */
  clear(): void {
    this.#cache?.clear();
  }

  #cached(token: string): VerifiedToken | undefined {
    const hit = this.#cache?.get(token);
    if (hit === undefined) return undefined;
    // The entry's TTL already ends at `exp`; this re-check makes that a guarantee even if the
    // clock moved backwards and forwards since the entry was stored.
    if (this.#options.now() >= hit.claims.exp * 1000) {
      this.#cache?.delete(token);
      return undefined;
    }
    return hit;
  }

  async #verifySignature(token: string): Promise<VerifiedToken> {
    const { issuer, audience, algorithms, keys, clockToleranceMs, maxTokenLifetimeMs } =
      this.#options;
    let verified: VerifiedToken;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        algorithms: [...algorithms],
        issuer,
        audience: typeof audience === 'string' ? audience : [...audience],
        requiredClaims: ['exp', 'iat', 'sub'],
        // jose counts tolerance in seconds; fractions are fine.
        clockTolerance: clockToleranceMs / 1000,
      });
      verified = readClaims(payload as Record<string, unknown>, protectedHeader.kid);
    } catch (error) {
      throw fromJoseError(error);
    }
    const now = this.#options.now();
    const { iat, exp } = verified.claims;
    // jose checks `iat` only together with maxTokenAge; a token from the future would otherwise
    // slip under every cutoff rule issued before its claimed issue time.
    if (iat * 1000 > now + clockToleranceMs) {
      throw new TokenNotYetValidError('token is not valid yet ("iat" is in the future)');
    }
    // Rules are forgotten one maximum lifetime after they were issued: a longer-lived token
    // could outlive the rule that revoked it.
    if ((exp - iat) * 1000 > maxTokenLifetimeMs) {
      throw new ClaimInvalidError(
        `token lifetime ${exp - iat} s exceeds the maximum of ${maxTokenLifetimeMs / 1000} s`,
        'exp',
      );
    }
    const ttl = Math.floor(exp * 1000 - now);
    if (this.#cache !== undefined && ttl > 0) this.#cache.set(token, verified, { ttl });
    return verified;
  }

  #assertNotRevoked(token: VerifiedToken): void {
    const match = this.#blocklist.check(tokenFacts(token));
    if (match !== undefined) throw new TokenRevokedError(match.kind, match.reason);
  }
}
