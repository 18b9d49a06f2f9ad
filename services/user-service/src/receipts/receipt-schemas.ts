/** The receipt's shape in answers (documented in the OpenAPI document from these schemas). */
import { z } from 'zod';

const receiptVerifier = z.object({
  groupId: z.string().meta({ description: 'The verifier’s consumer group.' }),
  clientId: z.string().meta({ description: 'Its Kafka client id (its service, by default).' }),
  host: z.string().meta({ description: 'Where it connects from, as the broker sees it.' }),
  behind: z.number().int().meta({ description: 'Records of the target not applied yet.' }),
});

/** A revocation's receipt. */
export const receiptSchema = z
  .object({
    state: z.enum(['applied', 'pending', 'unpublished', 'unknown']).meta({
      description:
        'Applied by every live verifier; not yet by some; not yet published; not known (Kafka unreachable).',
    }),
    complete: z.boolean(),
    of: z.number().int().meta({ description: 'Live verifiers counted.' }),
    applied: z.array(receiptVerifier),
    pending: z
      .array(receiptVerifier)
      .meta({ description: 'Live verifiers that have not applied it: the laggards.' }),
    gone: z.array(receiptVerifier).meta({ description: 'Verifiers that left while awaited.' }),
    ms: z.number().meta({ description: 'From the commit to the receipt, ms.' }),
    error: z.string().optional(),
  })
  .meta({ id: 'RevocationReceipt' });

/** The answer of a revocation that answers 204 without `Prefer: wait=applied`. */
export const receiptOnlyResponse = z.object({ receipt: receiptSchema });

const partitionRange = z.object({
  partition: z.number().int(),
  low: z.number().int(),
  high: z.number().int(),
});

/** `GET /admin/fleet`. */
export const fleetResponse = z.object({
  topic: z.string(),
  readAt: z.number().meta({ description: 'ms since the epoch' }),
  partitions: z.array(partitionRange),
  verifiers: z.array(
    z.object({
      groupId: z.string(),
      clientId: z.string(),
      host: z.string(),
      state: z.string().meta({ description: 'The group’s state (`Stable` once assigned).' }),
      committed: z
        .record(z.string(), z.number().int())
        .meta({ description: 'The next offset to apply per partition: its receipt.' }),
      lag: z.number().int().meta({ description: 'Records published and not applied yet.' }),
    }),
  ),
});

/** `GET /admin/revocations` query. */
export const recentQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** `GET /admin/revocations`. */
export const recentResponse = z.object({
  verifiers: z.number().int().meta({ description: 'Live verifiers now.' }),
  events: z.array(
    z.object({
      partition: z.number().int(),
      offset: z.number().int(),
      timestamp: z.number(),
      eventId: z.string().optional(),
      kind: z.string().optional(),
      target: z.string().optional(),
      reason: z.string().optional(),
      actor: z.string().optional(),
      issuer: z.string().optional(),
      issuedAt: z.number().optional(),
      invalid: z.object({ code: z.string(), message: z.string() }).optional(),
      receipt: z.object({
        applied: z.number().int(),
        of: z.number().int(),
        complete: z.boolean(),
        pending: z.array(receiptVerifier),
      }),
    }),
  ),
});
