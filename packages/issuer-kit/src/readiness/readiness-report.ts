/**
 * What an issuer's `/readyz` reports: what works now and what waits for Kafka. The service can
 * accept requests — revocations included — whenever its database answers, because a revocation
 * is answered once it and its outbox row are committed; Kafka only decides when verifiers hear
 * of it. So the database decides readiness, and Kafka and the outbox backlog are reported beside
 * it, never folded into the status code (a load balancer must not take the emergency brakes
 * away during a broker outage). A service adds its own members (`.extend`) beside these.
 */
import { z } from 'zod';
import type { OutboxBacklog, RelayStatus } from '@revocation-fabric/publisher';
import type { KafkaState } from './kafka-state.js';

/** The body of `/readyz` every issuer shares, as documented in the OpenAPI documents. */
export const issuerReadinessResponse = z.object({
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

/** The shared readiness report. */
export type IssuerReadiness = z.output<typeof issuerReadinessResponse>;

/** The facts a readiness report is made of. */
export interface IssuerReadinessFacts {
  readonly database: 'ok' | 'unreachable';
  readonly migrated: boolean;
  readonly kafka: KafkaState;
  readonly relay: RelayStatus;
  /** `undefined` when the backlog could not be read. */
  readonly backlog: OutboxBacklog | undefined;
  /** ms since the epoch. */
  readonly now: number;
}

function summaryOf(ready: boolean, facts: IssuerReadinessFacts, pending: number | null): string {
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
 * const { status, body } = issuerReadinessReport(await issuer.readinessFacts());
 * ```
 */
export function issuerReadinessReport(facts: IssuerReadinessFacts): {
  status: 200 | 503;
  body: IssuerReadiness;
} {
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
