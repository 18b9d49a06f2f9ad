/**
 * The revocation event: one rule, stated once, carried on the `auth.revocations` topic.
 *
 * Every time is in **milliseconds since the Unix epoch** (JWT claims are seconds; events are not),
 * so the cutoff boundary can be exact. See `docs/protocol.md` for the reasoning.
 */

/** The schema version this package writes. Readers skip (and count) any other version. */
export const SCHEMA_VERSION = 1;

/** The five rule kinds, from narrowest to widest. */
export const RULE_KINDS = ['token', 'session', 'subject', 'key', 'global'] as const;

/** What a rule targets: one token, one session, one subject, one signing key, or everything. */
export type RuleKind = (typeof RULE_KINDS)[number];

/** Why a rule was issued. Carried for audit and for clients (`revoked` socket events). */
export const REVOCATION_REASONS = [
  'logout',
  'logout-all',
  'password-change',
  'ban',
  'role-change',
  'refresh-reuse',
  'admin',
  'key-compromise',
  'emergency',
] as const;

/** A revocation reason; see {@link REVOCATION_REASONS}. */
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** Fields every event carries, whatever its kind. */
export interface EventEnvelope {
  /** Schema version; always {@link SCHEMA_VERSION} for events this package encodes. */
  readonly v: typeof SCHEMA_VERSION;
  /** Unique event id (a UUID), for de-duplication in logs and audit. */
  readonly id: string;
  /** Why the rule exists. */
  readonly reason: RevocationReason;
  /** Who caused it: a subject id, an admin's id, or a system name such as `user-service`. */
  readonly actor: string;
  /** The token issuer (`iss`) the rule is about. */
  readonly iss: string;
  /** When the event was created, in ms since the epoch. Also the start of its forget clock. */
  readonly issuedAt: number;
}

/** Rejects the one token whose `jti` matches. Forgettable once that token has expired. */
export interface TokenRevocation extends EventEnvelope {
  readonly kind: 'token';
  /** The token's `jti` claim. */
  readonly jti: string;
  /** The token's `exp`, in ms since the epoch. */
  readonly expiresAt: number;
}

/** Rejects every token of one login session (one device): tokens whose `sid` matches. */
export interface SessionRevocation extends EventEnvelope {
  readonly kind: 'session';
  /** The session id (`sid` claim). */
  readonly sid: string;
}

/**
 * Rejects every token of one subject issued before a cutoff: logout everywhere, password
 * change, ban, role change.
 *
 * With `generation` set, tokens that carry the `sgen` claim are judged by generation alone
 * (`sgen < generation` → rejected), which is exact whatever the issuers' clocks say; tokens
 * without `sgen` fall back to `issued before cutoff`. Without `generation`, the cutoff applies
 * to every token.
 */
export interface SubjectRevocation extends EventEnvelope {
  readonly kind: 'subject';
  /** The subject (`sub` claim). */
  readonly sub: string;
  /** Tokens issued strictly before this instant (ms) are rejected. */
  readonly cutoff: number;
  /** The subject's generation after the change; tokens with a lower `sgen` are rejected. */
  readonly generation?: number | undefined;
}

/** Rejects every token signed with one key (`kid` in the JWS header): key compromise. */
export interface KeyRevocation extends EventEnvelope {
  readonly kind: 'key';
  /** The compromised key's id. */
  readonly kid: string;
}

/**
 * Rejects every token issued before a cutoff: the emergency brake. `generation` works as for
 * {@link SubjectRevocation}, against the `ggen` claim.
 */
export interface GlobalRevocation extends EventEnvelope {
  readonly kind: 'global';
  /** Tokens issued strictly before this instant (ms) are rejected. */
  readonly cutoff: number;
  /** The global generation after the change; tokens with a lower `ggen` are rejected. */
  readonly generation?: number | undefined;
}

/** One revocation event, discriminated by `kind`. */
export type RevocationEvent =
  TokenRevocation | SessionRevocation | SubjectRevocation | KeyRevocation | GlobalRevocation;

/** The event of one kind. */
export type RevocationEventOf<K extends RuleKind> = Extract<RevocationEvent, { kind: K }>;
