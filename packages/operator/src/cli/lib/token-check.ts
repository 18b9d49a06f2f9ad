/**
 * A token as `inspect` reads it: decoded without trust, its claims held to the access-token
 * contract, and its signature checked against its issuer's published keys when they can be
 * found (`--jwks-url`, else the issuer's OpenID configuration, else `<iss>/.well-known/jwks.json`).
 */
import { ASYMMETRIC_ALGORITHMS, accessTokenClaimsSchema } from '@revocation-fabric/protocol';
import type { AccessTokenClaims } from '@revocation-fabric/protocol';
import { compactVerify, createRemoteJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import type { JWTPayload, ProtectedHeaderParameters } from 'jose';
import { TokenMalformedError } from '../errors.js';

/** A token decoded, not yet trusted. */
export interface DecodedToken {
  readonly token: string;
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
  /** The claims, when they fit the access-token contract; else why not. */
  readonly claims:
    | { readonly ok: true; readonly value: AccessTokenClaims }
    | { readonly ok: false; readonly problem: string };
}

/**
 * Decodes a compact JWS's header and claims.
 *
 * @throws {@link TokenMalformedError} when it is not one (three base64url parts, JSON inside).
 */
export function decodeToken(input: string): DecodedToken {
  const token = input.trim().replace(/^Bearer\s+/i, '');
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    if (token.split('.').length !== 3) throw new TypeError('a JWS has three dot-separated parts');
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch (error) {
    throw new TokenMalformedError(
      `not a JWT (a compact JWS with JSON claims): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const parsed = accessTokenClaimsSchema.safeParse(payload);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  return {
    token,
    header,
    payload,
    claims: parsed.success
      ? { ok: true, value: parsed.data }
      : {
          ok: false,
          problem: `${issue?.path.join('.') || 'claims'}: ${issue?.message ?? 'invalid'}`,
        },
  };
}

/** What became of the signature check. */
export type SignatureCheck =
  | {
      readonly status: 'valid';
      readonly kid: string | undefined;
      readonly alg: string;
      readonly jwksUrl: string;
    }
  | { readonly status: 'invalid'; readonly reason: string; readonly jwksUrl: string }
  | { readonly status: 'not-checked'; readonly reason: string };

/** Options of {@link checkSignature}. */
export interface SignatureOptions {
  /** The JWKS to check against; default: found from the token's `iss`. */
  readonly jwksUrl?: string | undefined;
  /** Time allowed to each HTTP request, ms. Default 5000. */
  readonly timeoutMs?: number | undefined;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** The JWKS of an issuer: its OpenID configuration's `jwks_uri`, else `<iss>/.well-known/jwks.json`. */
export async function discoverJwksUrl(
  issuer: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  try {
    const response = await fetch(`${base}/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (response.ok) {
      const document: unknown = await response.json();
      if (
        typeof document === 'object' &&
        document !== null &&
        'jwks_uri' in document &&
        typeof document.jwks_uri === 'string'
      )
        return document.jwks_uri;
    }
  } catch {
    // No discovery document: the conventional place below.
  }
  return `${base}/.well-known/jwks.json`;
}

function joseCode(error: unknown): string | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** Checks the signature alone (expiry and claims are told apart). Never throws. */
export async function checkSignature(
  decoded: DecodedToken,
  options: SignatureOptions = {},
): Promise<SignatureCheck> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const issuer = decoded.payload.iss;
  let jwksUrl = options.jwksUrl;
  if (jwksUrl === undefined) {
    if (typeof issuer !== 'string' || !/^https?:\/\//.test(issuer))
      return {
        status: 'not-checked',
        reason: 'the token names no http(s) issuer; pass --jwks-url',
      };
    jwksUrl = await discoverJwksUrl(issuer, timeoutMs);
  }
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    return { status: 'not-checked', reason: `--jwks-url is not a URL: ${jwksUrl}` };
  }
  const kid = decoded.header.kid;
  try {
    const { protectedHeader } = await compactVerify(
      decoded.token,
      createRemoteJWKSet(url, { timeoutDuration: timeoutMs }),
      { algorithms: [...ASYMMETRIC_ALGORITHMS] },
    );
    return { status: 'valid', kid: protectedHeader.kid, alg: protectedHeader.alg, jwksUrl };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    switch (joseCode(error)) {
      case 'ERR_JWKS_NO_MATCHING_KEY':
        return {
          status: 'invalid',
          reason: `no key ${kid === undefined ? 'for it' : `kid ${kid}`} in the issuer's JWKS (revoked, or retired past its time?)`,
          jwksUrl,
        };
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return {
          status: 'invalid',
          reason: `the signature does not verify against key ${kid ?? '(no kid)'}`,
          jwksUrl,
        };
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return {
          status: 'invalid',
          reason: `algorithm ${String(decoded.header.alg)} is not accepted (asymmetric only)`,
          jwksUrl,
        };
      case 'ERR_JWKS_TIMEOUT':
      case 'ERR_JWKS_INVALID':
      case 'ERR_JOSE_GENERIC':
        return {
          status: 'not-checked',
          reason: `the JWKS at ${jwksUrl} could not be read: ${message}`,
        };
      case undefined: {
        const cause =
          error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
        return {
          status: 'not-checked',
          reason: `the JWKS at ${jwksUrl} could not be read: ${message}${cause}`,
        };
      }
      default:
        return { status: 'invalid', reason: message, jwksUrl };
    }
  }
}
