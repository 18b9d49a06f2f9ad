/**
 * The protocol's default clock tolerance, in its own module so that both the codec (future
 * cutoffs) and the rule semantics (the window in which generations decide) can import it without
 * an import cycle; `codec.ts` re-exports it, as the package's public API always has.
 */

/**
 * Default clock tolerance: 5 s. Bounds how far a cutoff may lie past its event's issue time, and
 * how long after a cutoff a generation still decides (see `rejects`).
 */
export const DEFAULT_CLOCK_TOLERANCE_MS = 5_000;
