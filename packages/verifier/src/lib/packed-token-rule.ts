/**
 * The blocklist's compact token rule: its forget time and reason packed into one small integer
 * (a V8 Smi), `slot * REASON_SLOTS + reasonIndex`, where `slot` counts 16-second steps since
 * 2024-01-01. Forget times are rounded *up* to the next step ({@link packedForgetAt}), so a rule
 * is kept at most 16 s longer than the protocol's `forgetAt` asks, never shorter. 2^30 (the Smi
 * limit with pointer compression) is reached in 2058 with 16 slots; past that values become heap
 * numbers, which is slower and larger but still correct.
 */
import { REVOCATION_REASONS } from '@revocation-fabric/protocol';
import type { RevocationReason } from '@revocation-fabric/protocol';

const PACK_EPOCH_MS = Date.UTC(2024, 0, 1);
const PACK_STEP_MS = 16_000;
/** Reason slots of the encoding: a packed rule's reason index is `packed % REASON_SLOTS`. */
export const REASON_SLOTS = 16;

/**
 * Throws unless every reason has a slot of its own in the token rule encoding: a reason index
 * that does not fit would silently decode as another reason.
 */
export function assertReasonEncoding(reasons: readonly string[], slots: number): void {
  if (reasons.length > slots) {
    throw new Error(
      `blocklist: ${reasons.length} revocation reasons do not fit the token rule encoding (${slots} slots); raise REASON_SLOTS`,
    );
  }
}
assertReasonEncoding(REVOCATION_REASONS, REASON_SLOTS);
const REASON_INDEX = new Map<RevocationReason, number>(REVOCATION_REASONS.map((r, i) => [r, i]));

/** One token rule: packed forget time and reason, and the order of the event that set the reason. */
export interface TokenEntry {
  readonly packed: number;
  readonly updatedAt: number;
  readonly eventId: string;
}

function slotOf(forgetAtMs: number): number {
  return Math.ceil((forgetAtMs - PACK_EPOCH_MS) / PACK_STEP_MS);
}

/** The forget time (ms) a packed token rule keeps for `forgetAtMs`: rounded up to a step. */
export function packedForgetAt(forgetAtMs: number): number {
  return PACK_EPOCH_MS + slotOf(forgetAtMs) * PACK_STEP_MS;
}

/** Packs a forget time (ms) and a reason. */
export function packToken(forgetAtMs: number, reason: RevocationReason): number {
  const index = REASON_INDEX.get(reason);
  if (index === undefined) throw new TypeError(`unknown revocation reason ${reason}`);
  return slotOf(forgetAtMs) * REASON_SLOTS + index;
}

/** The forget time (ms) of a packed token rule. */
export function tokenForgetAt(packed: number): number {
  return PACK_EPOCH_MS + Math.floor(packed / REASON_SLOTS) * PACK_STEP_MS;
}

/** The reason of a packed token rule. */
export function tokenReason(packed: number): RevocationReason {
  const reason = REVOCATION_REASONS[packed % REASON_SLOTS];
  if (reason === undefined) throw new Error(`corrupt token rule encoding ${packed}`);
  return reason;
}
