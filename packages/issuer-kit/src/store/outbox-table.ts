/**
 * The publisher's outbox table (created by its migration, written by its `enqueue`, read by its
 * relay) as a kit store's CamelCasePlugin shows it: each service's schema lists it, so its
 * tests can read the outbox with the store's query builder.
 */
import type { ColumnType, Generated } from 'kysely';

/** One row of the outbox, camelCase. */
export interface IssuerOutboxTable {
  /** Allocation order; the relay publishes in this order. */
  id: Generated<number>;
  eventId: string;
  kind: string;
  /** Kafka message key (`kind:target`). */
  messageKey: string;
  /** The encoded event, exactly as it goes on the wire. */
  payload: string;
  /** Record headers beyond `event-id` (a brake's signature), as JSON; null when none. */
  headers: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: number;
  sentAt: ColumnType<number | null, number | null | undefined, number | null>;
  attempts: ColumnType<number, number | undefined, number>;
  lastError: ColumnType<string | null, string | null | undefined, string | null>;
}
