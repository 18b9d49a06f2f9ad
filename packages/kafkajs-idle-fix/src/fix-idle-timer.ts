import { createRequire } from 'node:module';

/**
 * What {@link fixKafkajsIdleTimer} did:
 * - `'applied'`: kafkajs 2.2.4 found and its request queue mended now;
 * - `'already-applied'`: that kafkajs was mended before (by this or another copy of this package);
 * - `'not-needed'`: another kafkajs version, or a copy whose source already has the fix;
 * - `'unrecognized'`: kafkajs 2.2.4 whose request queue does not look as expected: left alone;
 * - `'kafkajs-not-found'`: no kafkajs resolves from `from`.
 */
export type KafkajsIdleFixOutcome =
  'applied' | 'already-applied' | 'not-needed' | 'unrecognized' | 'kafkajs-not-found';

/** The one kafkajs release with the bug (kafkajs #1556); the fix (PR #1667) was never released. */
const AFFECTED_VERSION = '2.2.4';
/** Marks a mended request-queue prototype, shared by every copy of this package in a process. */
const MENDED = Symbol.for('@revocation-fabric/kafkajs-idle-fix');

/** The fields of kafkajs's `RequestQueue` the guard reads (src/network/requestQueue/index.js). */
interface RequestQueueState {
  throttleCheckTimeoutId: unknown;
  pending: readonly unknown[];
  throttledUntil: number;
}
interface RequestQueuePrototype {
  scheduleCheckPendingRequests: (this: RequestQueueState) => void;
  [MENDED]?: true;
}

/**
 * Stops the 1 ms timer loop that kafkajs 2.2.4 runs on every idle broker connection.
 *
 * After each response, kafkajs's `RequestQueue.scheduleCheckPendingRequests` computes
 * `throttledUntil - Date.now()`; with nothing pending and no throttle (`throttledUntil = -1`) that
 * is a huge negative delay, which `setTimeout` turns into 1 ms, whose callback schedules the next:
 * an idle consumer then burns ~20 ms of CPU per second, and Node 24+ prints
 * `TimeoutNegativeWarning`. This wraps the method so it returns early in exactly that case, as the
 * unreleased upstream fix does, and otherwise calls kafkajs's own code. It is written by hand
 * because the fix must travel inside the installed packages: a package manager's patch applies
 * only inside the workspace that declares it, never in an adopter's `npm install`.
 *
 * Version-guarded: anything but kafkajs 2.2.4, or a 2.2.4 whose method does not look as
 * expected, is left alone. Idempotent across calls and across copies of this package.
 *
 * @param from - where to resolve kafkajs from: pass the caller's `import.meta.url`, so the mended
 *   copy is exactly the one the caller imports.
 * @returns what was done; callers may log anything but `'applied'` and `'already-applied'`.
 * @example
 * ```ts
 * import { fixKafkajsIdleTimer } from '@revocation-fabric/kafkajs-idle-fix';
 * import { Kafka } from 'kafkajs';
 *
 * fixKafkajsIdleTimer(import.meta.url); // before the first connection
 * const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] });
 * ```
 */
export function fixKafkajsIdleTimer(from: string | URL): KafkajsIdleFixOutcome {
  const require = createRequire(from);
  let version: string;
  let RequestQueue: { prototype: RequestQueuePrototype };
  try {
    version = (require('kafkajs/package.json') as { version: string }).version;
    if (version !== AFFECTED_VERSION) return 'not-needed';
    RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as typeof RequestQueue;
  } catch {
    return 'kafkajs-not-found';
  }
  const proto = RequestQueue.prototype;
  if (proto[MENDED]) return 'already-applied';
  const original = proto.scheduleCheckPendingRequests;
  if (typeof original !== 'function') return 'unrecognized';
  const source = original.toString();
  if (!source.includes('this.throttledUntil - Date.now()')) return 'unrecognized';
  // A copy already patched at install time (the upstream fix returns early on `scheduleAt <= 0`).
  if (source.includes('scheduleAt <= 0')) return 'not-needed';
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(
    this: RequestQueueState,
  ) {
    // kafkajs reads Date.now() itself; this guard must agree with the delay kafkajs would compute.
    if (
      !this.throttleCheckTimeoutId &&
      this.pending.length === 0 &&
      this.throttledUntil - Date.now() <= 0
    ) {
      return;
    }
    original.call(this);
  };
  proto[MENDED] = true;
  return 'applied';
}
