/**
 * How long one consumer fetch may wait at the broker. A fetch long-polls: with `minBytes: 1`
 * the broker answers as soon as a record arrives, so the wait costs no delivery latency (B7
 * measured it on one broker and on three, where each broker's partitions are fetched by their
 * own kafkajs fetcher). An idle verifier sends one fetch per broker per wait, so the wait sets
 * its idle cost; it is also the longest silence of a healthy idle broker, so it must stay well
 * inside the staleness window, and `close()` may wait for one fetch in flight to return.
 */

/** Longest fetch wait, ms: ≤ 2 requests/s per idle verifier on a 3-broker cluster. */
export const MAX_FETCH_WAIT_MS = 2_500;
/** Shortest fetch wait, ms (the previous fixed wait). */
export const MIN_FETCH_WAIT_MS = 100;
/** Fetch answers (contact) per staleness window, at least: a few lost ones do not make it stale. */
const FETCHES_PER_STALENESS_WINDOW = 4;

/**
 * The fetch wait for a verifier that goes stale after `maxStalenessMs` without contact.
 *
 * @example
 * ```ts
 * fetchWaitMs(30_000); // 2500
 * fetchWaitMs(3_000); // 750
 * ```
 */
export function fetchWaitMs(maxStalenessMs: number | undefined): number {
  if (maxStalenessMs === undefined) return MAX_FETCH_WAIT_MS;
  const wait = Math.floor(maxStalenessMs / FETCHES_PER_STALENESS_WINDOW);
  return Math.min(MAX_FETCH_WAIT_MS, Math.max(MIN_FETCH_WAIT_MS, wait));
}
