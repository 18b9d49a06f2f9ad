/**
 * Receipts of this service's revocations, and the operator's view the admin console shows:
 * which live verifiers have applied what was committed. Everything is read from Kafka by the
 * operator package (verifiers' groups and their committed offsets) and from the outbox table;
 * nothing asks a verifier. Only asked for (`Prefer: wait=applied`, the console): a service
 * that is never asked opens no Kafka connection for it, and an answer never waits for Kafka
 * longer than the bound the caller gave.
 */
import {
  connectOperator,
  followRevocations,
  readFleet,
  receiptOf,
  waitForApplied,
} from '@revocation-fabric/operator';
import type {
  FleetView,
  LoggedRevocation,
  OperatorKafka,
  Receipt,
  RevocationReceipt,
  RevocationReceiptState,
} from '@revocation-fabric/operator';
import type { IssuerKafkaConfig } from '@revocation-fabric/issuer-kit';
import { outboxBacklog } from '@revocation-fabric/publisher';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataStore } from '../db/schema.js';

/** Where a revocation is, as its receipt tells (the operator package's one definition). */
export type { RevocationReceipt, RevocationReceiptState as ReceiptState };

/** A recent revocation event with its receipt. */
export interface LoggedReceipt {
  readonly revocation: LoggedRevocation;
  readonly receipt: Receipt;
}

/** Options of {@link RevocationReceipts}. */
export interface RevocationReceiptsOptions {
  readonly kafka: IssuerKafkaConfig;
  readonly store: DataStore;
  readonly logger: Logger;
  readonly now: () => number;
  /** How often the outbox and the receipts are read while waiting, ms. Default 25. */
  readonly pollMs?: number | undefined;
  /** Recent events kept for the console. Default 200. */
  readonly keepRecent?: number | undefined;
}

/** Reads receipts for this service (see the file's comment). */
export class RevocationReceipts {
  readonly #options: RevocationReceiptsOptions;
  readonly #pollMs: number;
  readonly #keep: number;
  #kafka: OperatorKafka | undefined;
  readonly #recent: LoggedRevocation[] = [];
  #following: AbortController | undefined;
  #follow: Promise<void> | undefined;

  constructor(options: RevocationReceiptsOptions) {
    this.#options = options;
    this.#pollMs = options.pollMs ?? 25;
    this.#keep = options.keepRecent ?? 200;
  }

  get #operator(): OperatorKafka {
    this.#kafka ??= connectOperator({
      ...this.#options.kafka,
      clientId: `${this.#options.kafka.clientId ?? 'user-service'}-receipts`,
    });
    return this.#kafka;
  }

  /**
   * Waits until what was committed up to `committedAt` (ms) is published and applied by every
   * live verifier, at most `timeoutMs`; answers the receipt either way.
   */
  async afterCommit(committedAt: number, timeoutMs: number): Promise<RevocationReceipt> {
    const { now } = this.#options;
    const started = now();
    const left = () => timeoutMs - (now() - started);
    try {
      // The relay publishes in commit order; once nothing created up to then is unsent, the
      // partitions' high-water marks cover it.
      while (!(await this.#publishedUpTo(committedAt))) {
        if (left() <= 0) {
          const fleet = await readFleet(this.#operator, { topic: this.#options.kafka.topic });
          const pending = fleet.verifiers.map((v) => ({
            groupId: v.groupId,
            clientId: v.clientId,
            host: v.host,
            behind: 1,
          }));
          return { ...emptyReceipt('unpublished', now() - started), of: pending.length, pending };
        }
        await sleep(Math.min(this.#pollMs, left()));
      }
      const outcome = await waitForApplied(this.#operator, {
        topic: this.#options.kafka.topic,
        timeoutMs: Math.max(0, left()),
        pollMs: this.#pollMs,
        now,
      });
      if (outcome.of === 0) {
        // "Applied by 0 of 0" would read as done: nothing is known, say so.
        return {
          ...emptyReceipt('unknown', now() - started),
          error:
            'no live verifier is visible: none runs, or this service may not describe their consumer groups (ACLs)',
        };
      }
      return {
        state: outcome.complete ? 'applied' : 'pending',
        complete: outcome.complete,
        of: outcome.of,
        applied: outcome.applied,
        pending: outcome.pending,
        gone: outcome.gone,
        ms: now() - started,
      };
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not read revocation receipts');
      return {
        ...emptyReceipt('unknown', now() - started),
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** The live verifiers of the topic and their lag. */
  fleet(): Promise<FleetView> {
    return readFleet(this.#operator, { topic: this.#options.kafka.topic, now: this.#options.now });
  }

  /**
   * The latest events of the topic (newest first), each with its receipt. The first call starts
   * following the topic (the last events of each partition, then every new one).
   */
  async recent(limit: number): Promise<{ fleet: FleetView; events: LoggedReceipt[] }> {
    this.#startFollowing();
    const fleet = await this.fleet();
    const events = this.#recent
      .slice(-limit)
      .reverse()
      .map((revocation) => ({
        revocation,
        receipt: receiptOf(fleet, new Map([[revocation.partition, revocation.offset + 1]])),
      }));
    return { fleet, events };
  }

  /** Stops following and disconnects. */
  async close(): Promise<void> {
    this.#following?.abort();
    await this.#follow;
    await this.#kafka?.close();
  }

  async #publishedUpTo(committedAt: number): Promise<boolean> {
    const { oldestCreatedAt } = await outboxBacklog(this.#options.store.db);
    return oldestCreatedAt === undefined || oldestCreatedAt > committedAt;
  }

  #startFollowing(): void {
    if (this.#following !== undefined) return;
    const following = new AbortController();
    this.#following = following;
    this.#follow = followRevocations(this.#operator, {
      topic: this.#options.kafka.topic,
      last: this.#keep,
      signal: following.signal,
      onRevocation: (revocation) => {
        this.#recent.push(revocation);
        this.#recent.sort((a, b) => a.timestamp - b.timestamp);
        if (this.#recent.length > this.#keep)
          this.#recent.splice(0, this.#recent.length - this.#keep);
      },
    }).catch((error: unknown) => {
      // Asked again later, it starts over.
      this.#options.logger.warn({ err: error }, 'stopped following the revocation topic');
      if (this.#following === following) this.#following = undefined;
    });
  }
}

function emptyReceipt(state: RevocationReceiptState, ms: number): RevocationReceipt {
  return { state, complete: false, of: 0, applied: [], pending: [], gone: [], ms };
}
