/**
 * What `/readyz` reports. The database decides readiness: a signal is answered once committed
 * to the outbox, so Kafka only decides when verifiers hear of it, and SSF streams only decide
 * whether SETs arrive. Both are reported beside the status, never folded into it.
 */
import { z } from 'zod';
import type { OutboxBacklog, RelayStatus } from '@revocation-fabric/publisher';
import type { ReceiverStatus } from '../ssf/ssf-receiver.js';

/** Kafka as the relay last saw it (as in the user-service). */
export type KafkaState = 'ok' | 'unreachable' | 'standby' | 'stopped';

/**
 * Reads {@link KafkaState} from the relay's status and whether it connected at start.
 *
 * @example
 * ```ts
 * kafkaState(relay.status(), connectedAtStart);
 * ```
 */
export function kafkaState(relay: RelayStatus, connectedAtStart: boolean): KafkaState {
  if (!relay.running) return 'stopped';
  if (!relay.leader) return 'standby';
  if (!relay.kafkaHealthy) return 'unreachable';
  return connectedAtStart || relay.published > 0 ? 'ok' : 'unreachable';
}

/** The body of `/readyz`. */
export const readinessResponse = z.object({
  status: z.enum(['ready', 'unavailable']),
  database: z.enum(['ok', 'unreachable']),
  migrations: z.enum(['ok', 'pending']),
  kafka: z.enum(['ok', 'unreachable', 'standby', 'stopped']),
  outbox: z.object({
    pending: z.number().int().nullable(),
    oldestPendingAgeMs: z.number().int().nullable(),
  }),
  relay: z.object({ running: z.boolean(), leader: z.boolean() }),
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

/** The facts a report is made of. */
export interface ReadinessFacts {
  readonly database: 'ok' | 'unreachable';
  readonly migrated: boolean;
  readonly kafka: KafkaState;
  readonly relay: RelayStatus;
  readonly backlog: OutboxBacklog | undefined;
  readonly streams: ReadonlyMap<string, ReceiverStatus>;
  readonly now: number;
}

/**
 * Builds the report: 200 when the database answers and is migrated, 503 otherwise.
 *
 * @example
 * ```ts
 * const { status, body } = readinessReport(facts);
 * ```
 */
export function readinessReport(facts: ReadinessFacts): { status: 200 | 503; body: Readiness } {
  const ready = facts.database === 'ok' && facts.migrated;
  const oldest = facts.backlog?.oldestCreatedAt;
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
  return {
    status: ready ? 200 : 503,
    body: {
      status: ready ? 'ready' : 'unavailable',
      database: facts.database,
      migrations: facts.migrated ? 'ok' : 'pending',
      kafka: facts.kafka,
      outbox: {
        pending: facts.backlog?.depth ?? null,
        oldestPendingAgeMs: oldest === undefined ? null : Math.max(0, facts.now - oldest),
      },
      relay: { running: facts.relay.running, leader: facts.relay.leader },
      ssf,
    },
  };
}
