/**
 * The relay's waits. A wakeable wait (idle polling) ends early on `wake()`, so a commit is
 * published at once instead of at the next poll; a backoff wait does not, so a burst of commits
 * cannot hammer a broker that is away. `interruptAll()` ends every wait, for `stop()`.
 */
export class Pause {
  /** A wake() that arrived while nobody waited: the next wakeable wait returns at once. */
  private pending = false;
  private readonly waiters = new Set<{ readonly wakeable: boolean; readonly end: () => void }>();

  /** Waits `ms`, or less if woken (when `wakeable`) or interrupted. */
  wait(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const waiter = {
        wakeable,
        end: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.end, ms);
      this.waiters.add(waiter);
    });
  }

  /** Ends the wakeable waits now, or the next one as soon as it starts. */
  wake(): void {
    let woke = false;
    for (const waiter of [...this.waiters]) {
      if (waiter.wakeable) {
        waiter.end();
        woke = true;
      }
    }
    if (!woke) this.pending = true;
  }

  /** Ends every wait now. */
  interruptAll(): void {
    for (const waiter of [...this.waiters]) waiter.end();
  }
}
