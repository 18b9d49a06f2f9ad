/**
 * The access-token contract: which claims an access token carries, their types, and what
 * revocation rules read from them. The issuer mints with {@link issuedAccessTokenClaimsSchema},
 * every verifier checks with {@link accessTokenClaimsSchema} and judges
 * {@link tokenFactsFromClaims}: one definition, so the two sides cannot drift apart.
 */
import { z } from 'zod';
import type { TokenFacts } from './rules.js';

/** A JWT NumericDate: seconds since the epoch (fractions allowed, RFC 7519 §2). */
const numericDate = z.number().min(-8.64e12).max(8.64e12);
/** A generation counter (`sgen`, `ggen`): exact, so a safe non-negative integer. */
const generation = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Claims a verifier accepts. Only `sub`, `iat` and `exp` are required, so tokens of issuers
 * that stamp no `sid`, `jti` or generations are still judged (by `iat`); every other claim is
 * type-checked when present, and claims this contract does not name are kept untouched.
 * `roles` defaults to `[]`.
 *
 * @example
 * ```ts
 * const parsed = accessTokenClaimsSchema.safeParse(payload);
 * if (!parsed.success) throw new ClaimInvalidError({ claim: String(parsed.error.issues[0]?.path[0]) });
 * ```
 */
export const accessTokenClaimsSchema = z.looseObject({
  /** Issuer. */
  iss: z.string().optional(),
  /** Audience(s). */
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  /** Subject: the user id. */
  sub: z.string().min(1),
  /** Session id: one login on one device. */
  sid: z.string().optional(),
  /** Token id. */
  jti: z.string().optional(),
  /** Issued at, seconds since the epoch. */
  iat: numericDate,
  /** Expires at, seconds since the epoch. */
  exp: numericDate,
  /** Not before, seconds since the epoch. */
  nbf: numericDate.optional(),
  /** When the user authenticated, seconds since the epoch. */
  auth_time: numericDate.optional(),
  /** Role names. */
  roles: z.array(z.string()).default([]),
  /** Space-separated OAuth scope values. */
  scope: z.string().optional(),
  /** The subject's generation at issue (see the `subject` rule with `generation`). */
  sgen: generation.optional(),
  /** The global generation at issue (see the `global` rule with `generation`). */
  ggen: generation.optional(),
});

/** The claims of an access token a verifier accepted; JWT times are in seconds. */
export type AccessTokenClaims = z.output<typeof accessTokenClaimsSchema>;

/**
 * Claims an issuer of this fabric (the user-service) stamps on every access token: the
 * verifier's contract with every revocation claim made required, and whole seconds.
 *
 * @example
 * ```ts
 * const claims = issuedAccessTokenClaimsSchema.parse({ iss, aud, sub, sid, jti, iat, exp, auth_time, roles, sgen, ggen });
 * ```
 */
export const issuedAccessTokenClaimsSchema = accessTokenClaimsSchema.extend({
  iss: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  sid: z.string().min(1),
  jti: z.string().min(1),
  iat: z.number().int(),
  exp: z.number().int(),
  auth_time: z.number().int(),
  roles: z.array(z.string()),
  sgen: generation,
  ggen: generation,
});

/** The claims of an access token as this fabric's issuer mints them. */
export type IssuedAccessTokenClaims = z.output<typeof issuedAccessTokenClaimsSchema>;

/**
 * The facts revocation rules look at, read from a token's claims and the `kid` of its JWS
 * header. The issue time is `iat` in ms: the protocol's cutoffs are milliseconds, and tokens
 * whose issuer stamps `sgen`/`ggen` are judged exactly by those.
 *
 * @example
 * ```ts
 * rejects(rule, tokenFactsFromClaims(claims, protectedHeader.kid));
 * ```
 */
export function tokenFactsFromClaims(
  claims: Pick<AccessTokenClaims, 'iss' | 'sub' | 'iat' | 'jti' | 'sid' | 'sgen' | 'ggen'>,
  kid: string | undefined,
): TokenFacts {
  return {
    iss: claims.iss,
    jti: claims.jti,
    sid: claims.sid,
    sub: claims.sub,
    kid,
    issuedAt: claims.iat * 1000,
    sgen: claims.sgen,
    ggen: claims.ggen,
  };
}
