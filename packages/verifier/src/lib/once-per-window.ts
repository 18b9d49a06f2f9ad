/**
 * Rate-limits a log line per key: a topic full of garbage or a stream of forged events must
 * neither stop the feed nor flood the log, while the counts beside it stay exact.
 */
export class OncePerWindow {
  readonly #loggedAt = new Map<string, number>();
  readonly #windowMs: number;
  readonly #now: () => number;

  /**
   * @param windowMs - at most one `due` per key within this many ms.
   * @param now - the clock, ms since the epoch.
   */
  constructor(windowMs: number, now: () => number) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** True (and the window restarts) when `key` was not due within the window. */
  due(key: string): boolean {
    const now = this.#now();
    const last = this.#loggedAt.get(key);
    if (last !== undefined && now - last < this.#windowMs) return false;
    this.#loggedAt.set(key, now);
    return true;
  }
}
