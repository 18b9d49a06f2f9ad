/** A receipt told in one sentence: "applied by 1 of 2 verifiers; not yet: game-service-v0 (10.0.0.5, 1 behind)". */
import { count, plural } from './text.js';

/** A verifier as a receipt names it. */
interface Named {
  readonly clientId: string;
  readonly host: string;
  readonly behind: number;
}

/** The parts of a receipt the sentence tells. */
export interface ReceiptFacts {
  readonly of: number;
  readonly complete: boolean;
  readonly applied: readonly Named[];
  readonly pending: readonly Named[];
  readonly gone: readonly Named[];
  /** How long the wait took, ms, when there was one. */
  readonly ms?: number | undefined;
}

function named(verifier: Named, withBehind: boolean): string {
  const where = verifier.host === '' ? [] : [verifier.host];
  if (withBehind) where.push(`${count(verifier.behind)} behind`);
  return where.length === 0 ? verifier.clientId : `${verifier.clientId} (${where.join(', ')})`;
}

/** The sentence. */
export function receiptSentence(receipt: ReceiptFacts): string {
  if (receipt.of === 0) return 'no live verifier reads the topic: none to apply it';
  const parts = [
    `applied by ${count(receipt.applied.length)} of ${plural(receipt.of, 'verifier')}${
      receipt.complete && receipt.ms !== undefined ? ` in ${count(receipt.ms)} ms` : ''
    }`,
  ];
  if (receipt.pending.length > 0)
    parts.push(`not yet: ${receipt.pending.map((verifier) => named(verifier, true)).join(', ')}`);
  if (receipt.gone.length > 0)
    parts.push(
      `left before applying it: ${receipt.gone.map((verifier) => named(verifier, false)).join(', ')}`,
    );
  return parts.join('; ');
}
