/**
 * The database as Kysely sees it. Column names are camelCase here and snake_case in SQL (the
 * issuer kit's store maps them with Kysely's CamelCasePlugin). Every instant is an integer of
 * milliseconds since the epoch, the protocol's unit, stored as BIGINT.
 */
import type { IssuerOutboxTable, IssuerStore } from '@revocation-fabric/issuer-kit';
import type { Kysely, Selectable, Transaction } from 'kysely';

/** Account status. Suspension may end by itself (`suspendedUntil`); a ban lasts until unbanned. */
export type AccountStatus = 'active' | 'suspended' | 'banned';

/**
 * Signing-key lifecycle: `next` is published but signs nothing yet, so verifiers know it before
 * its first token; `active` signs; `retired` stays published until its tokens expired; `revoked`
 * is never published again.
 */
export type SigningKeyStatus = 'next' | 'active' | 'retired' | 'revoked';

export interface UsersTable {
  id: string;
  /** Normalized (NFKC, lower case): the unique login name. */
  username: string;
  /** PHC string of the argon2id hash. */
  passwordHash: string;
  /** JSON array of role names. */
  roles: string;
  status: AccountStatus;
  suspendedUntil: number | null;
  /** Subject generation: bumped by every subject cutoff; tokens carry it as `sgen`. */
  generation: number;
  createdAt: number;
  updatedAt: number;
}

export interface SessionsTable {
  /** The `sid` claim. */
  id: string;
  userId: string;
  /** When the user authenticated with a password: the `auth_time` claim (ms here). */
  authTime: number;
  createdAt: number;
  lastUsedAt: number;
  /** Set once; a revoked session never refreshes again. */
  revokedAt: number | null;
  revokeReason: string | null;
  userAgent: string | null;
  clientAddress: string | null;
}

export interface RefreshTokensTable {
  /** SHA-256 (hex) of the opaque token; the token itself is never stored. */
  tokenHash: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  /** When it was exchanged. A second exchange is reuse: the session is revoked. */
  usedAt: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** Public JWK as JSON. */
  publicJwk: string;
  /** Private JWK, sealed with the key-encryption key when one is configured (see key-protection.ts). */
  privateJwk: string;
  status: SigningKeyStatus;
  createdAt: number;
  /** When it started signing. */
  activatedAt: number | null;
  retiredAt: number | null;
  revokedAt: number | null;
}

export interface GlobalStateTable {
  /** Always 1: there is one row. */
  id: number;
  /** Global generation: bumped by the emergency cutoff; tokens carry it as `ggen`. */
  generation: number;
}

export interface RevokedTokensTable {
  jti: string;
  expiresAt: number;
  revokedAt: number;
  actor: string;
}

export interface LoginThrottleTable {
  /** `account:<username>` or `address:<ip>`. */
  key: string;
  failures: number;
  windowStartedAt: number;
}

/** Every table. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refreshTokens: RefreshTokensTable;
  signingKeys: SigningKeysTable;
  globalState: GlobalStateTable;
  revokedTokens: RevokedTokensTable;
  loginThrottle: LoginThrottleTable;
  /** The publisher's outbox, as the kit's CamelCasePlugin shows it; tests read it. */
  outbox: IssuerOutboxTable;
}

/** The open database (the issuer kit's store). */
export type DataStore = IssuerStore<Database>;

/** The query builder over {@link Database}. */
export type Db = Kysely<Database>;
/** A transaction, or the database itself where a function works either way. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type UserRow = Selectable<UsersTable>;
