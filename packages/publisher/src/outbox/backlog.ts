/** The unsent backlog, for metrics and readiness: read from the table, so it covers every instance. */
import { outboxView } from './outbox-table.js';
import type { OutboxExecutor } from './outbox-table.js';

/** Depth and age of the unsent backlog. */
export interface OutboxBacklog {
  /** Unsent events. */
  readonly depth: number;
  /** `created_at` (ms since the epoch) of the oldest unsent event, if any. */
  readonly oldestCreatedAt: number | undefined;
}

/**
 * Reads the backlog of unsent events.
 *
 * @example
 * ```ts
 * const { depth, oldestCreatedAt } = await outboxBacklog(db);
 * ```
 */
export async function outboxBacklog<DB>(db: OutboxExecutor<DB>): Promise<OutboxBacklog> {
  const row = await outboxView(db)
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  const oldest = row?.oldest;
  return {
    depth: Number(row?.depth ?? 0),
    oldestCreatedAt: oldest === null || oldest === undefined ? undefined : Number(oldest),
  };
}
