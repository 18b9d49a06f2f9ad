/**
 * What the adapter needs of a verifier, and the one place it subscribes to the rules the
 * verifier applies.
 */
import type { RevokedListener, Verifier } from '../verifier.js';

/** The part of a {@link Verifier} the socket.io adapter uses. */
export type SocketVerifier = Pick<Verifier, 'verify' | 'check' | 'onRevoked' | 'now'> &
  Partial<Pick<Verifier, 'clockToleranceMs'>>;

/** @throws TypeError when `verifier` is not a {@link SocketVerifier} (a wiring mistake). */
export function assertSocketVerifier(verifier: unknown): asserts verifier is SocketVerifier {
  const candidate = verifier as Partial<SocketVerifier> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    typeof candidate.verify !== 'function' ||
    typeof candidate.check !== 'function' ||
    typeof candidate.onRevoked !== 'function' ||
    typeof candidate.now !== 'function'
  ) {
    throw new TypeError('verifier must be a Verifier');
  }
}

/**
 * Calls `listener` with every rule the verifier applies from now on.
 *
 * @returns the unsubscribe function.
 */
export function subscribeToRevocations(
  verifier: SocketVerifier,
  listener: RevokedListener,
): () => void {
  return verifier.onRevoked(listener);
}
