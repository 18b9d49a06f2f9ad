/** Kafka as an issuer's relay last saw it, for readiness and metrics. */
import type { RelayStatus } from '@revocation-fabric/publisher';

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
