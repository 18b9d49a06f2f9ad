/**
 * What `/readyz` reports: the issuer kit's report (the database decides readiness; Kafka and the
 * outbox backlog are reported beside it), plus each SSF stream's state — SSF streams only
 * decide whether SETs arrive, so they too are reported, never folded into the status.
 */
import { z } from 'zod';
import { issuerReadinessReport, issuerReadinessResponse } from '@revocation-fabric/issuer-kit';
import type { IssuerReadinessFacts } from '@revocation-fabric/issuer-kit';
import type { ReceiverStatus } from '../ssf/ssf-receiver.js';

export { kafkaState } from '@revocation-fabric/issuer-kit';
export type { KafkaState } from '@revocation-fabric/issuer-kit';

/** The body of `/readyz`. */
export const readinessResponse = issuerReadinessResponse.extend({
  ssf: z.record(
    z.string(),
    z.object({
      delivery: z.enum(['push', 'poll']),
      state: z.enum(['starting', 'registered', 'verified', 'failed', 'stopped']),
      streamId: z.string().nullable(),
      /** The last failure's step and HTTP status; its detail is in the logs only. */
      lastError: z.object({ step: z.string(), status: z.number().int().nullable() }).nullable(),
      /** The subjects the stream covers; `none`: the transmitter sends nothing (README, SSF). */
      subjects: z.enum(['default', 'added', 'none']).nullable(),
    }),
  ),
});

/** The readiness report. */
export type Readiness = z.output<typeof readinessResponse>;

/** The facts a report is made of: the issuer's and the SSF streams'. */
export interface ReadinessFacts extends IssuerReadinessFacts {
  readonly streams: ReadonlyMap<string, ReceiverStatus>;
}

/**
 * Builds the report: 200 when the database answers and is migrated, 503 otherwise.
 *
 * @example
 * ```ts
 * const { status, body } = readinessReport({ ...(await issuer.readinessFacts()), streams });
 * ```
 */
export function readinessReport(facts: ReadinessFacts): { status: 200 | 503; body: Readiness } {
  const { status, body } = issuerReadinessReport(facts);
  const ssf: Readiness['ssf'] = {};
  for (const [name, s] of facts.streams) {
    ssf[name] = {
      delivery: s.delivery,
      state: s.state,
      streamId: s.streamId ?? null,
      lastError:
        s.lastError === undefined
          ? null
          : { step: s.lastError.step, status: s.lastError.status ?? null },
      subjects: s.subjects ?? null,
    };
  }
  return { status, body: { ...body, ssf } };
}
