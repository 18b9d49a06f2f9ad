/**
 * Receipts: which live verifiers have applied a position of the topic. A verifier has applied
 * an event once its group's committed offset on the event's partition is past the event's
 * offset (verifiers commit only what they applied). "Applied by k of n": n is the verifiers
 * live when the question was asked; one that starts later replays the topic before it accepts
 * any token, so it never needs a receipt.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetView, VerifierView } from './fleet.js';
import { liveGroups, verifierView } from './fleet.js';
import type { ConsumerGroup, OperatorKafka, PartitionRange } from './kafka-client.js';

/**
 * What must be applied: per partition, the offset a receipt must reach (an event's offset + 1,
 * or a high-water mark for "everything published so far").
 */
export type AppliedTarget = ReadonlyMap<number, number>;

/** A verifier named in a receipt. */
export interface ReceiptVerifier {
  readonly groupId: string;
  readonly clientId: string;
  readonly host: string;
  /** Records of the target it has not applied yet (0 for those that applied). */
  readonly behind: number;
}

/** Who applied a target. */
export interface Receipt {
  /** The target, as `{ partition: offset }`. */
  readonly target: Readonly<Record<string, number>>;
  readonly applied: readonly ReceiptVerifier[];
  /** Live, not applied: the laggards. */
  readonly pending: readonly ReceiptVerifier[];
  /** Left their group while the receipt was awaited: they apply nothing more. */
  readonly gone: readonly ReceiptVerifier[];
  /** Verifiers counted: live when asked (applied + pending + gone). */
  readonly of: number;
  /** Every verifier counted applied it (or left). */
  readonly complete: boolean;
}

/** The target of one event: its partition and offset. */
export function eventTarget(partition: number, offset: number): AppliedTarget {
  return new Map([[partition, offset + 1]]);
}

/** The target "everything published so far": every partition's high-water mark. */
export function highWaterTarget(fleet: Pick<FleetView, 'partitions'>): AppliedTarget {
  return new Map(fleet.partitions.map(({ partition, high }) => [partition, high]));
}

/**
 * Records of `target` a verifier has not applied. A partition it never committed counts from
 * the partition's start (`lows`): records retention deleted need no receipt.
 */
export function behind(
  verifier: Pick<VerifierView, 'committed'>,
  target: AppliedTarget,
  lows: ReadonlyMap<number, number> = new Map(),
): number {
  let missing = 0;
  for (const [partition, offset] of target) {
    const floor = lows.get(partition) ?? 0;
    missing += Math.max(0, offset - Math.max(floor, verifier.committed.get(partition) ?? floor));
  }
  return missing;
}

function lowsOf(partitions: readonly PartitionRange[]): Map<number, number> {
  return new Map(partitions.map(({ partition, low }) => [partition, low]));
}

/**
 * The receipt of a target in a fleet read: who applied it, who has not.
 *
 * @example
 * ```ts
 * const receipt = receiptOf(await readFleet(kafka, { topic }), eventTarget(2, 41));
 * console.log(`applied by ${receipt.applied.length} of ${receipt.of}`);
 * ```
 */
export function receiptOf(
  fleet: Pick<FleetView, 'verifiers' | 'partitions'>,
  target: AppliedTarget,
): Receipt {
  const applied: ReceiptVerifier[] = [];
  const pending: ReceiptVerifier[] = [];
  const lows = lowsOf(fleet.partitions);
  for (const verifier of fleet.verifiers) {
    const named = receiptVerifier(verifier, target, lows);
    (named.behind === 0 ? applied : pending).push(named);
  }
  return receipt(target, applied, pending, []);
}

/** Options of {@link waitForApplied}. */
export interface WaitForAppliedOptions {
  readonly topic: string;
  /** What must be applied; default: every partition's high-water mark when the wait starts. */
  readonly target?: AppliedTarget | undefined;
  /** How long to wait at most, ms. */
  readonly timeoutMs: number;
  /** The verifiers to await (a fleet read earlier); default: those live when the wait starts. */
  readonly verifiers?: readonly VerifierView[] | undefined;
  /** How often the receipts are read again, ms. Default 50. */
  readonly pollMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Where a revocation is, as the receipt of a revocation endpoint says. */
export const REVOCATION_RECEIPT_STATES = ['applied', 'pending', 'unpublished', 'unknown'] as const;

/**
 * `applied`: every verifier live when asked applied it; `pending`: some have not (`pending`
 * names them); `unpublished`: committed, not yet in Kafka (the issuer's relay sends it once
 * Kafka answers); `unknown`: the receipts could not be read (Kafka unreachable, or no verifier
 * visible to the reader).
 */
export type RevocationReceiptState = (typeof REVOCATION_RECEIPT_STATES)[number];

/**
 * The receipt a revocation endpoint answers with `Prefer: wait=applied` (the user-service's
 * `receipt` field): the one definition its server, the CLI and the console's tests share.
 */
export interface RevocationReceipt {
  readonly state: RevocationReceiptState;
  readonly complete: boolean;
  /** Verifiers counted (live when asked). */
  readonly of: number;
  readonly applied: readonly ReceiptVerifier[];
  /** Live, not applied: the laggards. */
  readonly pending: readonly ReceiptVerifier[];
  /** Left while awaited. */
  readonly gone: readonly ReceiptVerifier[];
  /** From the commit to the receipt, ms. */
  readonly ms: number;
  /** Why the state is `unknown`, when known. */
  readonly error?: string | undefined;
}

/** A receipt and how long it took. */
export interface AppliedOutcome extends Receipt {
  /** From the start of the wait to the receipt, ms. */
  readonly ms: number;
}

/**
 * Waits until every verifier live at the start has applied the target, or the time is up;
 * answers the receipt either way (the laggards named in `pending`). Only the receipts of the
 * verifiers still pending are read on each round (one OffsetFetch per group).
 *
 * @example
 * ```ts
 * const outcome = await waitForApplied(kafka, { topic: 'auth.revocations', timeoutMs: 5_000 });
 * if (!outcome.complete) console.warn('not applied by', outcome.pending.map((v) => v.clientId));
 * ```
 */
export async function waitForApplied(
  kafka: OperatorKafka,
  options: WaitForAppliedOptions,
): Promise<AppliedOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  const pollMs = options.pollMs ?? 50;
  const groups =
    options.verifiers?.map(asGroup) ?? liveGroups(await kafka.groupsReading(options.topic));
  const partitions = await kafka.partitionRanges(options.topic);
  const target = options.target ?? highWaterTarget({ partitions });
  const lows = lowsOf(partitions);
  const applied: ReceiptVerifier[] = [];
  let pending = groups;
  let last = new Map<string, ReceiptVerifier>();
  for (;;) {
    const committed = await kafka.committedOffsets(
      pending.map((group) => group.groupId),
      options.topic,
    );
    const still: typeof pending = [];
    last = new Map();
    for (const group of pending) {
      const named = receiptVerifier(
        verifierView(group, committed.get(group.groupId) ?? new Map(), partitions),
        target,
        lows,
      );
      if (named.behind === 0) applied.push(named);
      else {
        still.push(group);
        last.set(group.groupId, named);
      }
    }
    pending = still;
    const elapsed = now() - started;
    if (pending.length === 0 || elapsed >= options.timeoutMs || options.signal?.aborted) break;
    await sleep(Math.min(pollMs, options.timeoutMs - elapsed), undefined, {
      signal: options.signal,
    }).catch(() => {});
  }
  // Laggards that left their group while we waited are gone, not late.
  const gone: ReceiptVerifier[] = [];
  if (pending.length > 0) {
    const live = new Set(
      liveGroups(await kafka.groupsReading(options.topic)).map((group) => group.groupId),
    );
    const late: ReceiptVerifier[] = [];
    for (const group of pending) {
      const named = last.get(group.groupId);
      if (named !== undefined) (live.has(group.groupId) ? late : gone).push(named);
    }
    return { ...receipt(target, applied, late, gone), ms: now() - started };
  }
  return { ...receipt(target, applied, [], []), ms: now() - started };
}

/** A verifier read earlier, as the group it is. */
function asGroup(verifier: VerifierView): ConsumerGroup {
  return {
    groupId: verifier.groupId,
    state: verifier.state,
    members: [{ memberId: '', clientId: verifier.clientId, clientHost: verifier.host, topics: [] }],
  };
}

function receiptVerifier(
  verifier: VerifierView,
  target: AppliedTarget,
  lows: ReadonlyMap<number, number>,
): ReceiptVerifier {
  return {
    groupId: verifier.groupId,
    clientId: verifier.clientId,
    host: verifier.host,
    behind: behind(verifier, target, lows),
  };
}

function receipt(
  target: AppliedTarget,
  applied: readonly ReceiptVerifier[],
  pending: readonly ReceiptVerifier[],
  gone: readonly ReceiptVerifier[],
): Receipt {
  return {
    target: Object.fromEntries(
      [...target].map(([partition, offset]) => [String(partition), offset]),
    ),
    applied,
    pending,
    gone,
    of: applied.length + pending.length + gone.length,
    complete: pending.length === 0,
  };
}
