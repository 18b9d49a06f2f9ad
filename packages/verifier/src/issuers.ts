/**
 * Trusted issuers: for each `iss` a verifier accepts, where its keys come from, which algorithms,
 * audience and lifetime it allows, and how its claims map to the facts revocation rules judge.
 * Checked once, when the verifier is created.
 */
import type { JSONWebKeySet, RemoteJWKSetOptions } from 'jose';
import { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm } from '@revocation-fabric/protocol';
import type { AsymmetricAlgorithm as ProtocolAsymmetricAlgorithm } from '@revocation-fabric/protocol';
import { resolveSources } from './authority.js';
import type { ResolvedSources, RevocationSourceGrant } from './authority.js';
import { describe, validateDuration, validateString } from './lib/validate.js';

/**
 * JWS algorithms a verifier may accept: asymmetric only (protocol's one list). `none` and the
 * HMAC family are not expressible: with a shared secret every verifying service could also mint
 * tokens.
 */
export type AsymmetricAlgorithm = ProtocolAsymmetricAlgorithm;

/**
 * A remote key set (the issuer's JWKS URL), fetched and cached by jose's `createRemoteJWKSet`;
 * the other fields are jose's options, passed through (`timeoutDuration` 5000 ms,
 * `cooldownDuration` 30000 ms, `cacheMaxAge` 600000 ms by default).
 */
export interface RemoteJwksOptions extends RemoteJWKSetOptions {
  /** The key set's URL. */
  readonly url: string | URL;
}

/**
 * Where an issuer's token claims put the facts revocation and authorization read, for issuers
 * that do not stamp this fabric's claim names (an OIDC provider such as Keycloak).
 *
 * @example
 * ```ts
 * // Keycloak: roles under realm_access, no generation counters
 * const claims: ClaimMapping = { roles: 'realm_access.roles', subjectGeneration: null, globalGeneration: null };
 * ```
 */
export interface ClaimMapping {
  /** Claim holding the session id. Default `sid`. */
  readonly sid?: string | undefined;
  /**
   * Dotted path of the array of role names (`realm_access.roles` for Keycloak's realm roles).
   * Default `roles`. A path that leads nowhere gives no roles; one that leads to something other
   * than an array of strings is CLAIM_INVALID.
   */
  readonly roles?: string | undefined;
  /**
   * Claim holding the subject generation (see the `subject` rule), or `null` when the issuer
   * stamps none: its tokens are then judged by `iat` against subject cutoffs, erring on the
   * side of rejection within the cutoff's second. Default `sgen`.
   */
  readonly subjectGeneration?: string | null | undefined;
  /** Claim holding the global generation, or `null` when the issuer stamps none. Default `ggen`. */
  readonly globalGeneration?: string | null | undefined;
}

/**
 * Who may revoke this issuer's tokens: the sources whose events may state its rules, and the
 * keys whose signature makes its brakes (`global`, `key` rules) count.
 *
 * @example
 * ```ts
 * // Keycloak's rules come from the gateway's topic only, and never as brakes
 * const authority: RevocationAuthority = {
 *   sources: [{ source: 'auth.revocations.gateway', kinds: ['token', 'session', 'subject'] }],
 *   brakeKeys: false,
 * };
 * ```
 */
export interface RevocationAuthority {
  /**
   * The sources (for the Kafka feed: topics, each written by one producer principal) whose
   * events may state this issuer's rules: a name allows every kind, `{ source, kinds }` some.
   * Events for this issuer from anywhere else are refused (`SOURCE_NOT_AUTHORIZED`), counted
   * and logged. Default, for a verifier that trusts one issuer: every source its feed reads.
   * Required when the verifier trusts several issuers.
   */
  readonly sources?: readonly (string | RevocationSourceGrant)[] | undefined;
  /**
   * The keys whose signature (the record's `revocation-signature` header) makes a `global` or
   * `key` rule of this issuer count: `'issuer'`, the issuer's own token keys (its `jwks`: whoever
   * can mint its tokens can stop them); a key set of its own (`{ url }` or `{ keys }`, e.g. a
   * gateway that signs for a provider); or `false`, never apply this issuer's brakes.
   * Unsigned or badly signed brakes are refused (`BRAKE_UNSIGNED`, `BRAKE_SIGNATURE_INVALID`).
   * Default `'issuer'`.
   */
  readonly brakeKeys?: 'issuer' | false | RemoteJwksOptions | JSONWebKeySet | undefined;
}

/**
 * One issuer whose tokens a verifier accepts. Rules apply only to the tokens of the issuer
 * their events name (`iss`).
 *
 * @example
 * ```ts
 * const keycloak: TrustedIssuer = {
 *   issuer: 'https://sso.example/realms/main',
 *   audience: 'account',
 *   algorithms: ['RS256'],
 *   jwks: { url: 'https://sso.example/realms/main/protocol/openid-connect/certs' },
 *   maxTokenLifetimeMs: 300_000,
 *   claims: { roles: 'realm_access.roles', subjectGeneration: null, globalGeneration: null },
 * };
 * ```
 */
export interface TrustedIssuer {
  /** The accepted `iss`, compared byte for byte. Required. */
  readonly issuer: string;
  /** Accepted `aud` value(s): the token must name at least one. Required. */
  readonly audience: string | readonly string[];
  /** Accepted JWS algorithms, pinned; no default, so a key type change is a deliberate act. Required. */
  readonly algorithms: readonly AsymmetricAlgorithm[];
  /** Where verification keys come from: `{ url, …jose remote options }` or a JWK Set `{ keys: [...] }`. Required. */
  readonly jwks: RemoteJwksOptions | JSONWebKeySet;
  /**
   * Longest token lifetime (`exp − iat`) accepted from this issuer, in ms; longer-lived tokens
   * are CLAIM_INVALID. This issuer's rules are forgotten one such lifetime (+ tolerance) after
   * their event, so it must not exceed what the revocation topic's retention was sized for.
   * Default: the verifier's `maxTokenLifetimeMs` (900000, 15 minutes).
   */
  readonly maxTokenLifetimeMs?: number | undefined;
  /** How this issuer's claims map to token facts. Default: this fabric's names. */
  readonly claims?: ClaimMapping | undefined;
  /** Who may revoke this issuer's tokens; see {@link RevocationAuthority}. */
  readonly authority?: RevocationAuthority | undefined;
}

/** {@link ClaimMapping} with defaults filled in; `identity` when it is this fabric's own. */
export interface ResolvedClaimMapping {
  readonly sid: string;
  readonly roles: readonly string[];
  readonly subjectGeneration: string | null;
  readonly globalGeneration: string | null;
  /** The mapping changes nothing: claims are read as they are. */
  readonly identity: boolean;
}

/** {@link TrustedIssuer} checked, with defaults filled in. */
export interface ResolvedIssuer {
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms: readonly AsymmetricAlgorithm[];
  readonly jwks: ResolvedJwks;
  readonly maxTokenLifetimeMs: number;
  readonly claims: ResolvedClaimMapping;
  readonly authority: ResolvedAuthority;
}

/** A key set as configured: remote (URL + jose options) or local. */
export type ResolvedJwks =
  { readonly url: URL; readonly remote: RemoteJWKSetOptions } | { readonly keys: JSONWebKeySet };

/** {@link RevocationAuthority} checked, with defaults filled in. */
export interface ResolvedAuthority {
  readonly sources: ResolvedSources;
  readonly brakeKeys: 'issuer' | false | ResolvedJwks;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateAudience(value: unknown, name: string): string | readonly string[] {
  if (typeof value === 'string' && value.length > 0) return value;
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && v.length > 0)
  ) {
    return Object.freeze([...(value as string[])]);
  }
  throw new TypeError(
    `${name} must be a non-empty string or array of strings, got ${describe(value)}`,
  );
}

function validateAlgorithms(value: unknown, name: string): readonly AsymmetricAlgorithm[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`${name} must be a non-empty array, got ${describe(value)}`);
  }
  for (const alg of value) {
    if (!isAsymmetricAlgorithm(alg)) {
      throw new TypeError(
        `${name}: ${describe(alg)} is not allowed; use asymmetric algorithms only (${ASYMMETRIC_ALGORITHMS.join(', ')})`,
      );
    }
  }
  return Object.freeze([...(value as AsymmetricAlgorithm[])]);
}

function validateJwks(value: unknown, name: string): ResolvedJwks {
  if (!isObject(value))
    throw new TypeError(`${name} must be { url } or a JWK Set { keys }, got ${describe(value)}`);
  if ('url' in value) {
    const { url, ...remote } = value as unknown as RemoteJwksOptions;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new TypeError(`${name}.url must be an absolute URL, got ${describe(String(url))}`, {
        cause,
      });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new TypeError(`${name}.url must be an http(s) URL, got ${describe(parsed.href)}`);
    }
    return { url: parsed, remote };
  }
  if (!Array.isArray(value.keys) || !value.keys.every(isObject)) {
    throw new TypeError(`${name}.keys must be an array of JWKs`);
  }
  return { keys: value as unknown as JSONWebKeySet };
}

/** A claim name, or `null` (none), or the default when undefined. */
function validateClaimName(
  value: unknown,
  fallback: string,
  name: string,
  nullable: boolean,
): string | null {
  if (value === undefined) return fallback;
  if (value === null && nullable) return null;
  return validateString(value, name);
}

function validateClaimMapping(value: unknown, name: string): ResolvedClaimMapping {
  if (value !== undefined && !isObject(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  const mapping = value ?? {};
  const sid = validateClaimName(mapping['sid'], 'sid', `${name}.sid`, false) as string;
  const roles = validateClaimName(mapping['roles'], 'roles', `${name}.roles`, false) as string;
  const path = roles.split('.');
  if (path.some((part) => part === '')) {
    throw new TypeError(`${name}.roles must be a dotted claim path, got ${describe(roles)}`);
  }
  const subjectGeneration = validateClaimName(
    mapping['subjectGeneration'],
    'sgen',
    `${name}.subjectGeneration`,
    true,
  );
  const globalGeneration = validateClaimName(
    mapping['globalGeneration'],
    'ggen',
    `${name}.globalGeneration`,
    true,
  );
  return Object.freeze({
    sid,
    roles: Object.freeze(path),
    subjectGeneration,
    globalGeneration,
    identity:
      sid === 'sid' &&
      roles === 'roles' &&
      subjectGeneration === 'sgen' &&
      globalGeneration === 'ggen',
  });
}

function validateAuthority(
  value: unknown,
  name: string,
  sourcesRequired: boolean,
): ResolvedAuthority {
  if (value !== undefined && !isObject(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  const { sources, brakeKeys } = value ?? {};
  if (sources === undefined && sourcesRequired) {
    throw new TypeError(
      `${name}.sources is required when several issuers are trusted: name the topic(s) of the producer that speaks for this issuer`,
    );
  }
  return {
    sources: sources === undefined ? 'any' : resolveSources(sources, `${name}.sources`),
    brakeKeys:
      brakeKeys === undefined || brakeKeys === 'issuer'
        ? 'issuer'
        : brakeKeys === false
          ? false
          : validateJwks(brakeKeys, `${name}.brakeKeys`),
  };
}

/**
 * Checks one trusted issuer.
 *
 * @param name - how the issuer is named in error messages (`issuers[1]`, or '' for the
 *   verifier's own top-level options).
 * @throws TypeError naming the first option at fault.
 */
export function resolveIssuer(
  value: unknown,
  name: string,
  defaultMaxTokenLifetimeMs: number,
  sourcesRequired = false,
): ResolvedIssuer {
  if (!isObject(value)) throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  const at = (field: string) => (name === '' ? field : `${name}.${field}`);
  return {
    issuer: validateString(value['issuer'], at('issuer')),
    audience: validateAudience(value['audience'], at('audience')),
    algorithms: validateAlgorithms(value['algorithms'], at('algorithms')),
    jwks: validateJwks(value['jwks'], at('jwks')),
    maxTokenLifetimeMs: validateDuration(
      value['maxTokenLifetimeMs'],
      defaultMaxTokenLifetimeMs,
      at('maxTokenLifetimeMs'),
      1_000,
    ),
    claims: validateClaimMapping(value['claims'], at('claims')),
    authority: validateAuthority(value['authority'], at('authority'), sourcesRequired),
  };
}

/**
 * Checks a list of trusted issuers: at least one, each `iss` once.
 *
 * @throws TypeError naming the first issuer at fault.
 */
export function resolveIssuers(
  value: unknown,
  defaultMaxTokenLifetimeMs: number,
): readonly ResolvedIssuer[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`issuers must be a non-empty array, got ${describe(value)}`);
  }
  const resolved = value.map((issuer, index) =>
    resolveIssuer(issuer, `issuers[${index}]`, defaultMaxTokenLifetimeMs, value.length > 1),
  );
  const seen = new Set<string>();
  for (const [index, { issuer }] of resolved.entries()) {
    if (seen.has(issuer)) {
      throw new TypeError(`issuers[${index}].issuer ${describe(issuer)} is listed twice`);
    }
    seen.add(issuer);
  }
  return Object.freeze(resolved);
}
