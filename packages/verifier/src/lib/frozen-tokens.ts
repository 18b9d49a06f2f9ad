/**
 * Token rules restored from a snapshot, kept as the snapshot's own columns with a hash index
 * over them. A start from 1M rules would otherwise build 1M Map entries, 1M entry objects and
 * 2M strings — most of its time and nearly all of its garbage collection; here it builds one
 * Int32Array. Written by hand because it is this project's own trade: a lookup hashes the jti
 * (FNV-1a over its UTF-16 code units) and compares it with the stored bytes, tens of ns, for as
 * long as the snapshot's rules live (one token lifetime at most); whatever changes a rule (a
 * second event for the same jti) goes to the blocklist's Map, which is looked up first.
 *
 * Only ASCII targets are frozen (bytes and code units then agree); the codec hands any other
 * target over as a string.
 */
import type { RuleOrder } from '@revocation-fabric/protocol';
import { tokenForgetAt } from './packed-token-rule.js';

/** A snapshot's token columns as bytes: what the codec reads without making strings. */
export interface FrozenTokenColumns {
  readonly count: number;
  /** Forget time and reason packed as the blocklist keeps them, per rule. */
  readonly packed: Float64Array;
  /** `issuedAt` (ms) of the event the reason came from, per rule. */
  readonly updatedAt: Float64Array;
  /** The targets' ASCII bytes, back to back; `targetStarts[i]..targetStarts[i + 1]`. */
  readonly targets: Buffer;
  readonly targetStarts: Uint32Array;
  /** The event ids' bytes (UTF-8), back to back; `eventIdStarts[i]..eventIdStarts[i + 1]`. */
  readonly eventIds: Buffer;
  readonly eventIdStarts: Uint32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashString(value: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

function hashBytes(bytes: Buffer, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The frozen rules of one restore (see the module comment). */
export class FrozenTokens {
  readonly count: number;
  /** The latest forget time of any rule here, ms: past it, the whole table can go. */
  readonly lastForgetAt: number;
  readonly #columns: FrozenTokenColumns;
  /** Open addressing: slot → rule index + 1, 0 for empty. */
  readonly #table: Int32Array;
  readonly #mask: number;

  constructor(columns: FrozenTokenColumns) {
    this.#columns = columns;
    this.count = columns.count;
    let size = 16;
    while (size < columns.count * 2) size *= 2;
    this.#table = new Int32Array(size);
    this.#mask = size - 1;
    const { targets, targetStarts, packed } = columns;
    let last = 0;
    for (let i = 0; i < columns.count; i++) {
      let slot =
        hashBytes(targets, targetStarts[i] as number, targetStarts[i + 1] as number) & this.#mask;
      while (this.#table[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#table[slot] = i + 1;
      last = Math.max(last, tokenForgetAt(packed[i] as number));
    }
    this.lastForgetAt = last;
  }

  /** The index of `target`'s rule, or -1. */
  find(target: string): number {
    const { targets, targetStarts } = this.#columns;
    for (let slot = hashString(target) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const entry = this.#table[slot] as number;
      if (entry === 0) return -1;
      const index = entry - 1;
      const start = targetStarts[index] as number;
      if ((targetStarts[index + 1] as number) - start !== target.length) continue;
      let k = 0;
      while (k < target.length && target.charCodeAt(k) === targets[start + k]) k++;
      if (k === target.length) return index;
    }
  }

  /** The packed rule of `target`, or `undefined`: the blocklist's hot-path lookup. */
  packedOf(target: string): number | undefined {
    const index = this.find(target);
    return index < 0 ? undefined : this.#columns.packed[index];
  }

  /** Rule `index`'s packed forget time and reason. */
  packed(index: number): number {
    return this.#columns.packed[index] as number;
  }

  /** The order of the event rule `index`'s reason came from (its id read on demand). */
  order(index: number): RuleOrder {
    const { eventIds, eventIdStarts, updatedAt } = this.#columns;
    return {
      updatedAt: updatedAt[index] as number,
      eventId: eventIds.toString('utf8', eventIdStarts[index], eventIdStarts[index + 1]),
    };
  }

  /** Rule `index`'s target. */
  target(index: number): string {
    const { targets, targetStarts } = this.#columns;
    return targets.toString('latin1', targetStarts[index], targetStarts[index + 1]);
  }
}

/** Frozen columns as string columns (tests compare them; a second restore merges them). */
export function frozenAsArrays(columns: FrozenTokenColumns): {
  targets: string[];
  packed: number[];
  updatedAt: number[];
  eventIds: string[];
} {
  const frozen = new FrozenTokens(columns);
  const out = {
    targets: [] as string[],
    packed: [] as number[],
    updatedAt: [] as number[],
    eventIds: [] as string[],
  };
  for (let i = 0; i < frozen.count; i++) {
    const { updatedAt, eventId } = frozen.order(i);
    out.targets.push(frozen.target(i));
    out.packed.push(frozen.packed(i));
    out.updatedAt.push(updatedAt);
    out.eventIds.push(eventId);
  }
  return out;
}
