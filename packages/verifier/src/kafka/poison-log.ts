import { ProtocolError } from '@revocation-fabric/protocol';
import type { PoisonCode } from '../feed.js';
import type { VerifierLogger } from '../logger.js';
import { OncePerWindow } from '../lib/once-per-window.js';

/** A poison code is logged at most once per this window, ms; the count is always exact. */
const POISON_LOG_WINDOW_MS = 60_000;

/** Where a skipped record sat. */
export interface RecordPosition {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * Counts skipped (poison) records by code and logs them, at most once per code and window: a
 * topic full of garbage must neither stop the feed nor flood the log.
 */
export class PoisonLog {
  readonly #counts: Partial<Record<PoisonCode, number>> = {};
  readonly #logWindow: OncePerWindow;
  readonly #logger: VerifierLogger;

  constructor(logger: VerifierLogger, now: () => number) {
    this.#logger = logger;
    this.#logWindow = new OncePerWindow(POISON_LOG_WINDOW_MS, now);
  }

  /** Counts one skipped record and returns its code. */
  skip(error: unknown, position: RecordPosition): PoisonCode {
    // Decoding throws event errors only; a topic-level code never reaches a record.
    const code = (error instanceof ProtocolError ? error.code : 'EVENT_INVALID') as PoisonCode;
    const count = (this.#counts[code] ?? 0) + 1;
    this.#counts[code] = count;
    if (this.#logWindow.due(code)) {
      this.#logger.warn(
        { code, count, ...position, reason: (error as Error).message },
        'skipped a poison record on the revocation topic',
      );
    }
    return code;
  }

  /** Skipped records per code, a copy. */
  counts(): Partial<Record<PoisonCode, number>> {
    return { ...this.#counts };
  }
}
