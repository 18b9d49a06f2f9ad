/**
 * The gateway's tables as Kysely sees them: camelCase here, snake_case in SQL (the issuer kit's
 * store maps them with Kysely's CamelCasePlugin, as in the user-service). Instants are BIGINT
 * milliseconds since the epoch, the protocol's unit.
 */
import type { IssuerOutboxTable, IssuerStore } from '@revocation-fabric/issuer-kit';
import type { Kysely, Transaction } from 'kysely';

/**
 * One accepted signal's `jti`, kept until a replay of it would be refused by the `iat` window
 * anyway. Written in the same transaction as the signal's outbox rows, so "seen" and
 * "published" can never disagree.
 */
export interface SeenSignalsTable {
  /** The provider's issuer: `jti` values are unique per issuer only. */
  issuer: string;
  jti: string;
  /** `backchannel`, `ssf-push` or `ssf-poll`. */
  source: string;
  receivedAt: number;
  /** After this instant the row may be purged. */
  expiresAt: number;
}

/**
 * The receiver's side of one provider's SSF stream: the push authorization secret we issued
 * (shared by every instance on the database) and the stream id we adopted or created.
 */
export interface SsfReceiversTable {
  provider: string;
  pushAuthorization: string;
  streamId: string | null;
  /** The stream's `aud` (JSON array): what its SETs' `aud` must name. */
  audience: string | null;
  updatedAt: number;
}

/** Every table (SQL names: `seen_signals`, `ssf_receivers`, `outbox`). */
export interface GatewayDatabase {
  seenSignals: SeenSignalsTable;
  ssfReceivers: SsfReceiversTable;
  /** The publisher's outbox, as the kit's CamelCasePlugin shows it; tests read it. */
  outbox: IssuerOutboxTable;
}

/** The open database (the issuer kit's store). */
export type DataStore = IssuerStore<GatewayDatabase>;
/** The query builder over {@link GatewayDatabase}. */
export type GatewayDb = Kysely<GatewayDatabase>;
/** A transaction over {@link GatewayDatabase}. */
export type GatewayTransaction = Transaction<GatewayDatabase>;
