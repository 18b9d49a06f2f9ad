/**
 * B10's flowing revocations: session rules published open-loop at a fixed rate (a slow send
 * does not lower the offered rate), and, per rule, when the first and the last verifier of the
 * whole fleet applied it, from the workers' per-process reports.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { wallClockMs } from '../lib/clock.js';
import type { RecordProducer } from '../lib/kafka.js';
import { ruleRecord, templates } from '../lib/rule-records.js';
import type { FleetWorker } from './window.js';

/** What a stream published and how far it got, once stopped. */
export interface PublishedStream {
  readonly eventsPerS: number;
  /** Publish → the last verifier's apply, ms, per event of the window every process reported. */
  readonly farthestMs: readonly number[];
  /** Publish → the first verifier's apply, ms. */
  readonly nearestMs: readonly number[];
  /** The producer's ack (acks=all) → the last verifier's apply, ms: the delivery side alone. */
  readonly farthestFromAckMs: readonly number[];
  /** Publish → ack, ms: the produce path (replication included on 3 nodes). */
  readonly produceMs: readonly number[];
  /** Events not reported by every process within the wait. */
  readonly missing: number;
}

interface Applied {
  reports: number;
  first: number;
  last: number;
}

export class RevocationStream {
  readonly #producer: RecordProducer;
  readonly #topic: string;
  readonly #processes: number;
  readonly #published = new Map<string, number>();
  readonly #acked = new Map<string, number>();
  readonly #applied = new Map<string, Applied>();
  #running: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;
  #startedAt = 0;
  #stoppedAt = 0;

  constructor(producer: RecordProducer, topic: string, workers: readonly FleetWorker[]) {
    this.#producer = producer;
    this.#topic = topic;
    this.#processes = workers.length;
    for (const worker of workers) {
      worker.on('applied', ({ sid, first, last }) => {
        const entry = this.#applied.get(sid) ?? { reports: 0, first, last };
        entry.reports += 1;
        entry.first = Math.min(entry.first, first);
        entry.last = Math.max(entry.last, last);
        this.#applied.set(sid, entry);
      });
    }
  }

  /** Publishes `rate` session rules per second until {@link stop}. */
  start(rate: number): void {
    const template = templates(Date.now());
    this.#startedAt = performance.now();
    this.#running = (async () => {
      let sent = 0;
      while (!this.#stopped) {
        const due = Math.floor(((performance.now() - this.#startedAt) * rate) / 1000) + 1;
        while (sent < due) {
          sent += 1;
          const record = ruleRecord(template, 'session');
          const { sid } = JSON.parse(record.value) as { sid: string };
          this.#published.set(sid, wallClockMs());
          this.#producer.send(this.#topic, [record]).then(
            () => this.#acked.set(sid, wallClockMs()),
            () => {
              this.#failures += 1;
              this.#published.delete(sid);
            },
          );
        }
        await sleep(Math.max(1, (sent * 1000) / rate - (performance.now() - this.#startedAt)));
      }
    })();
  }

  /**
   * Stops publishing and waits up to `waitMs` for every process to report every event; latency
   * is of the events published within `window` (wall clock, ms): outside it, the JMX readings'
   * JVMs compete for the cores.
   */
  async stop(
    waitMs: number,
    window: { readonly fromWallMs: number; readonly toWallMs: number },
  ): Promise<PublishedStream> {
    this.#stopped = true;
    this.#stoppedAt = performance.now();
    await this.#running;
    const deadline = performance.now() + waitMs;
    while (performance.now() < deadline && this.#incomplete() > 0) await sleep(100);
    const farthestMs: number[] = [];
    const nearestMs: number[] = [];
    const farthestFromAckMs: number[] = [];
    const produceMs: number[] = [];
    for (const [sid, publishedAt] of this.#published) {
      if (publishedAt < window.fromWallMs || publishedAt > window.toWallMs) continue;
      const applied = this.#applied.get(sid);
      if (applied === undefined || applied.reports < this.#processes) continue;
      farthestMs.push(applied.last - publishedAt);
      nearestMs.push(applied.first - publishedAt);
      const ackedAt = this.#acked.get(sid);
      if (ackedAt !== undefined) {
        farthestFromAckMs.push(applied.last - ackedAt);
        produceMs.push(ackedAt - publishedAt);
      }
    }
    const seconds = (this.#stoppedAt - this.#startedAt) / 1000;
    return {
      eventsPerS: (this.#published.size + this.#failures) / seconds,
      farthestMs,
      nearestMs,
      farthestFromAckMs,
      produceMs,
      missing: this.#incomplete() + this.#failures,
    };
  }

  #incomplete(): number {
    let missing = 0;
    for (const sid of this.#published.keys()) {
      if ((this.#applied.get(sid)?.reports ?? 0) < this.#processes) missing += 1;
    }
    return missing;
  }
}
