/**
 * Keeps the outbox table small: published rows older than the retention are deleted, at most
 * once per interval, by whichever instance relays.
 */
import type { PublisherLogger } from '../logger.js';
import { purgeSent } from '../outbox/outbox-rows.js';
import type { OutboxExecutor } from '../outbox/outbox-table.js';

/** Runs the purge when it is due. */
export class PurgeSchedule {
  private lastPurgeAt: number | undefined;

  constructor(
    private readonly options: {
      readonly everyMs: number;
      readonly retentionMs: number;
      readonly now: () => number;
      readonly logger: PublisherLogger;
    },
  ) {}

  /** Deletes rows published more than `retentionMs` ago, if the last purge is `everyMs` old. */
  async runIfDue<DB>(db: OutboxExecutor<DB>): Promise<void> {
    const now = this.options.now();
    if (this.lastPurgeAt !== undefined && now - this.lastPurgeAt < this.options.everyMs) return;
    this.lastPurgeAt = now;
    const purged = await purgeSent(db, now - this.options.retentionMs);
    if (purged > 0) this.options.logger.info({ purged }, 'purged published outbox events');
  }
}
