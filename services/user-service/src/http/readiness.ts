/**
 * What `/readyz` reports: what works now and what waits for Kafka. The service can accept
 * requests — revocations included — whenever its database answers, because a revocation is
 * answered once it and its outbox row are committed; Kafka only decides when verifiers hear of
 * it. So the database decides readiness, and Kafka and the outbox backlog are reported beside
 * it, never folded into the status code (a load balancer must not take the emergency brakes
 * away during a broker outage).
 */
import { z } from 'zod';
import type { OutboxBacklog } from '@revocation-fabric/publisher';
import type { RelayStatus } from '../outbox/relay.js';

/**
 * Kafka as this instance's relay last saw it:
 * - `ok`: the relay's last contact with the broker (its connection at start, then its last
 *   publish) succeeded;
 * - `unreachable`: that contact failed; committed revocations wait in the outbox;
 * - `standby`: another instance holds the relay leadership (PostgreSQL), so this one does not
 *   talk to Kafka — the leader's `/readyz` tells;
 * - `stopped`: the relay is not running (starting or shutting down).
 */
export type KafkaState = 'ok' | 'unreachable' | 'standby' | 'stopped';

/**
 * Reads {@link KafkaState} from the relay's status and whether its publisher connected at start.
 * The relay counts a broker as healthy until a publish fails, so with an empty outbox a failed
 * connection at start is the only evidence; any publish since then overrides it.
 *
 * @example
 * ```ts
 * kafkaState(relay.status(), await relay.prepare(3000)); // 'unreachable' while Kafka is away
 * ```
 */
export function kafkaState(relay: RelayStatus, connectedAtStart: boolean): KafkaState {
  if (!relay.running) return 'stopped';
  if (!relay.leader) return 'standby';
  if (!relay.kafkaHealthy) return 'unreachable';
  return connectedAtStart || relay.published > 0 ? 'ok' : 'unreachable';
}

/** The body of `/readyz`, as documented in the OpenAPI document. */
export const readinessResponse = z.object({
  status: z.enum(['ready', 'unavailable']).meta({
    description: '`ready` (200) whenever the database answers and is migrated, Kafka or not.',
  }),
  database: z.enum(['ok', 'unreachable']),
  migrations: z.enum(['ok', 'pending']),
  kafka: z.enum(['ok', 'unreachable', 'standby', 'stopped']).meta({
    description:
      'Kafka as the relay last saw it; informational: revocations are accepted while it is away.',
  }),
  outbox: z.object({
    pending: z.number().int().nullable().meta({
      description: 'Committed revocations not yet acknowledged by Kafka (every instance’s).',
    }),
    oldestPendingAgeMs: z.number().int().nullable(),
  }),
  relay: z.object({ running: z.boolean(), leader: z.boolean() }),
  summary: z.string().meta({ description: 'What works now and what waits, in one sentence.' }),
});

/** The readiness report. */
export type Readiness = z.output<typeof readinessResponse>;

/** The facts a readiness report is made of, read by the caller. */
export interface ReadinessFacts {
  readonly database: 'ok' | 'unreachable';
  readonly migrated: boolean;
  readonly kafka: KafkaState;
  readonly relay: RelayStatus;
  /** `undefined` when the backlog could not be read. */
  readonly backlog: OutboxBacklog | undefined;
  /** ms since the epoch. */
  readonly now: number;
}

function summaryOf(ready: boolean, facts: ReadinessFacts, pending: number | null): string {
  if (facts.database !== 'ok') return 'not accepting requests: the database is unreachable';
  if (!ready) return 'not accepting requests yet: migrations are pending';
  const waiting = pending === null ? 'an unknown number of' : String(pending);
  switch (facts.kafka) {
    case 'ok':
      return pending === 0
        ? 'accepting requests; every committed revocation has reached Kafka'
        : `accepting requests; ${waiting} committed revocations are being published to Kafka`;
    case 'unreachable':
      return (
        'accepting requests, revocations included (committed to the outbox); ' +
        `Kafka is unreachable, so ${waiting} revocations wait to reach verifiers`
      );
    case 'standby':
      return `accepting requests; another instance relays the outbox to Kafka (${waiting} pending)`;
    case 'stopped':
      return `accepting requests; the outbox relay is not running (${waiting} pending)`;
  }
}

/**
 * Builds the readiness report and its status code: 200 when the database answers and is
 * migrated, whatever Kafka does; 503 otherwise.
 *
 * @example
 * ```ts
 * const { status, body } = readinessReport({ database: 'ok', migrated: true, kafka, relay, backlog, now });
 * ```
 */
export function readinessReport(facts: ReadinessFacts): { status: 200 | 503; body: Readiness } {
  const ready = facts.database === 'ok' && facts.migrated;
  const pending = facts.backlog?.depth ?? null;
  const oldest = facts.backlog?.oldestCreatedAt;
  return {
    status: ready ? 200 : 503,
    body: {
      status: ready ? 'ready' : 'unavailable',
      database: facts.database,
      migrations: facts.migrated ? 'ok' : 'pending',
      kafka: facts.kafka,
      outbox: {
        pending,
        oldestPendingAgeMs: oldest === undefined ? null : Math.max(0, facts.now - oldest),
      },
      relay: { running: facts.relay.running, leader: facts.relay.leader },
      summary: summaryOf(ready, facts, pending),
    },
  };
}
