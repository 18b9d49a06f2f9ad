/**
 * The wire schema of a revocation event, checked with zod at every boundary (producer and
 * consumer). Objects are strict: an unknown field in a known version is an error, so two
 * writers cannot silently disagree about what a version means.
 */
import { z } from 'zod';
import { REVOCATION_REASONS, SCHEMA_VERSION } from './event.js';

/** Upper bound for any instant: year 275760, the largest valid `Date`. */
const MAX_INSTANT_MS = 8.64e15;

const instant = z.number().int().nonnegative().max(MAX_INSTANT_MS);
const generation = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const identifier = (max: number) => z.string().min(1).max(max);

const envelope = {
  v: z.literal(SCHEMA_VERSION),
  id: identifier(64),
  reason: z.enum(REVOCATION_REASONS),
  actor: identifier(256),
  iss: identifier(512),
  issuedAt: instant,
};

/** Zod schema of {@link RevocationEvent}; parse output is exactly that type. */
export const revocationEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...envelope,
    kind: z.literal('token'),
    jti: identifier(256),
    expiresAt: instant,
  }),
  z.strictObject({ ...envelope, kind: z.literal('session'), sid: identifier(256) }),
  z.strictObject({
    ...envelope,
    kind: z.literal('subject'),
    sub: identifier(256),
    cutoff: instant,
    generation: generation.optional(),
  }),
  z.strictObject({ ...envelope, kind: z.literal('key'), kid: identifier(256) }),
  z.strictObject({
    ...envelope,
    kind: z.literal('global'),
    cutoff: instant,
    generation: generation.optional(),
  }),
]);
