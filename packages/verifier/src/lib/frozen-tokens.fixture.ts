/**
 * Test fixture: a decoded snapshot state with its frozen token columns read back as string
 * columns, so tests compare it with what was saved. Excluded from the build.
 */
import { frozenAsArrays } from './frozen-tokens.js';
import type { FrozenTokenColumns } from './frozen-tokens.js';

export function asArrays(state: unknown): unknown {
  const { issuers } = state as { issuers: { tokens: object }[] };
  return {
    ...(state as object),
    issuers: issuers.map((issuer) => ({
      ...issuer,
      tokens:
        'targetStarts' in issuer.tokens
          ? frozenAsArrays(issuer.tokens as FrozenTokenColumns)
          : issuer.tokens,
    })),
  };
}
