/**
 * The fleet as Kafka sees it: every live verifier is a consumer group of its own (broadcast)
 * with a member subscribed to the revocation topic, and its committed offsets are its receipts
 * (the verifier commits the position it has applied; see the verifier's `receipts` option).
 * Nothing here asks a verifier anything: a fleet of thousands is read from the brokers alone.
 */
import type { ConsumerGroup, OperatorKafka, PartitionRange } from './kafka-client.js';

/** One live verifier: a consumer group with at least one member reading the topic. */
export interface VerifierView {
  readonly groupId: string;
  /** The Kafka client id its member connects with (the service's name, by default). */
  readonly clientId: string;
  /** Where its member connects from, as the broker sees it. */
  readonly host: string;
  /** The group's state (`Stable` once its member is assigned every partition). */
  readonly state: string;
  /** The next offset to apply per partition, as committed: its receipt. */
  readonly committed: ReadonlyMap<number, number>;
  /** Records not yet applied, summed over partitions (against the high-water marks read). */
  readonly lag: number;
}

/** The topic's partitions and every live verifier reading it. */
export interface FleetView {
  readonly topic: string;
  readonly partitions: readonly PartitionRange[];
  readonly verifiers: readonly VerifierView[];
  /** When it was read, ms since the epoch. */
  readonly readAt: number;
}

/** Options of {@link readFleet}. */
export interface ReadFleetOptions {
  readonly topic: string;
  readonly now?: (() => number) | undefined;
}

/**
 * Reads the live verifiers of a topic and their receipts.
 *
 * @example
 * ```ts
 * const fleet = await readFleet(kafka, { topic: 'auth.revocations' });
 * for (const v of fleet.verifiers) console.log(v.clientId, v.host, v.lag);
 * ```
 */
export async function readFleet(
  kafka: OperatorKafka,
  options: ReadFleetOptions,
): Promise<FleetView> {
  const now = options.now ?? Date.now;
  const groups = liveGroups(await kafka.groupsReading(options.topic));
  const [partitions, committed] = await Promise.all([
    kafka.partitionRanges(options.topic),
    kafka.committedOffsets(
      groups.map((group) => group.groupId),
      options.topic,
    ),
  ]);
  return {
    topic: options.topic,
    partitions,
    verifiers: groups.map((group) =>
      verifierView(group, committed.get(group.groupId) ?? new Map(), partitions),
    ),
    readAt: now(),
  };
}

/** Groups with a member: a group whose members all left holds offsets, not a verifier. */
export function liveGroups(groups: readonly ConsumerGroup[]): ConsumerGroup[] {
  return groups
    .filter((group) => group.members.length > 0 && group.state !== 'Dead')
    .sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** A group's view: its first member names it; lag is counted from each partition's start. */
export function verifierView(
  group: ConsumerGroup,
  committed: ReadonlyMap<number, number>,
  partitions: readonly PartitionRange[],
): VerifierView {
  const member = group.members[0];
  return {
    groupId: group.groupId,
    clientId: member?.clientId ?? '',
    host: (member?.clientHost ?? '').replace(/^\//, ''),
    state: group.state,
    committed,
    lag: lagOf(committed, partitions),
  };
}

/** Records between a receipt and the high-water marks (a partition never committed: all held). */
export function lagOf(
  committed: ReadonlyMap<number, number>,
  partitions: readonly PartitionRange[],
): number {
  let lag = 0;
  for (const { partition, low, high } of partitions)
    lag += Math.max(0, high - Math.max(low, committed.get(partition) ?? low));
  return lag;
}
