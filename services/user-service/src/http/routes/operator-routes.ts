/**
 * The operator's view over HTTP, for the admin console: the fleet of live verifiers and the
 * latest revocations with their receipts, read from Kafka (see receipts/revocation-receipts.ts).
 */
import type { FleetView } from '@revocation-fabric/operator';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { eventTarget as targetOf } from '@revocation-fabric/protocol';
import { UserServiceError } from '../../errors.js';
import { parseQuery } from '../console-schemas.js';
import type { RevocationReceipts } from '../../receipts/revocation-receipts.js';
import { fleetResponse, recentQuery, recentResponse } from '../../receipts/receipt-schemas.js';
import type { Route } from '../route.js';
import { defineRoute } from '../route.js';

const tags = ['admin'];
const kafkaAway = { 503: { description: 'Kafka cannot be reached: nothing is known.' } };

/** Routes under `/admin` for the operator's view. */
export function operatorRoutes(receipts: RevocationReceipts): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/admin/fleet',
      operationId: 'readFleet',
      summary: 'The live verifiers and their lag',
      description:
        'Every consumer group reading the revocation topic with a live member is a verifier; ' +
        'its committed offsets are the position it has applied (its receipts).',
      tags,
      auth: 'admin',
      responses: { 200: { description: 'The fleet.', schema: fleetResponse }, ...kafkaAway },
      handle: async () => ({ status: 200, body: fleetJson(await fromKafka(receipts.fleet())) }),
    }),
    defineRoute({
      method: 'get',
      path: '/admin/revocations',
      operationId: 'recentRevocations',
      summary: 'The latest revocations, each with its receipt',
      description: 'Newest first; each says how many of the live verifiers applied it.',
      tags,
      auth: 'admin',
      parameters: [
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        },
      ],
      responses: { 200: { description: 'Revocations.', schema: recentResponse }, ...kafkaAway },
      handle: async ({ req }) => {
        const query = parseQuery(recentQuery, req.query);
        const { fleet, events } = await fromKafka(receipts.recent(query.limit));
        return {
          status: 200,
          body: {
            verifiers: fleet.verifiers.length,
            events: events.map(({ revocation, receipt }) => ({
              partition: revocation.partition,
              offset: revocation.offset,
              timestamp: revocation.timestamp,
              ...(revocation.event === undefined ? {} : eventFields(revocation.event)),
              ...(revocation.invalid === undefined ? {} : { invalid: revocation.invalid }),
              receipt: {
                applied: receipt.applied.length,
                of: receipt.of,
                complete: receipt.complete,
                pending: receipt.pending,
              },
            })),
          },
        };
      },
    }),
  ];
}

function eventFields(event: RevocationEvent) {
  return {
    eventId: event.id,
    kind: event.kind,
    target: targetOf(event),
    reason: event.reason,
    actor: event.actor,
    issuer: event.iss,
    issuedAt: event.issuedAt,
  };
}

function fleetJson(fleet: FleetView) {
  return {
    topic: fleet.topic,
    readAt: fleet.readAt,
    partitions: fleet.partitions,
    verifiers: fleet.verifiers.map((verifier) => ({
      groupId: verifier.groupId,
      clientId: verifier.clientId,
      host: verifier.host,
      state: verifier.state,
      committed: Object.fromEntries(
        [...verifier.committed].map(([partition, offset]) => [String(partition), offset]),
      ),
      lag: verifier.lag,
    })),
  };
}

/** A Kafka failure is the service's 503 with a reason, never a 500. */
async function fromKafka<T>(reading: Promise<T>): Promise<T> {
  try {
    return await reading;
  } catch (error) {
    throw new UserServiceError({
      code: 'NOT_READY',
      message: `Kafka cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
