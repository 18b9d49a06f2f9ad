/**
 * The gateway's tables as Kysely sees them (snake_case, no plugins). Instants are BIGINT
 * milliseconds since the epoch, the protocol's unit.
 */
import type { Kysely, Transaction } from 'kysely';
import type { OutboxTable } from '@revocation-fabric/publisher';

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
  received_at: number | string;
  /** After this instant the row may be purged. */
  expires_at: number | string;
}

/**
 * The receiver's side of one provider's SSF stream: the push authorization secret we issued
 * (shared by every instance on the database) and the stream id we adopted or created.
 */
export interface SsfReceiversTable {
  provider: string;
  push_authorization: string;
  stream_id: string | null;
  /** The stream's `aud` (JSON array): what its SETs' `aud` must name. */
  audience: string | null;
  updated_at: number | string;
}

/** Every table. */
export interface GatewayDatabase {
  seen_signals: SeenSignalsTable;
  ssf_receivers: SsfReceiversTable;
  outbox: OutboxTable;
}

/** The query builder over {@link GatewayDatabase}. */
export type GatewayDb = Kysely<GatewayDatabase>;
/** A transaction over {@link GatewayDatabase}. */
export type GatewayTransaction = Transaction<GatewayDatabase>;
