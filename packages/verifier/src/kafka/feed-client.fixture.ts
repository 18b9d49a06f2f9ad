/**
 * A double of the feed's client interface (`client.ts`), not of kafkajs: consumers and admins
 * that record what the feed did to them and report what a test tells them to. Excluded from the
 * build.
 */
import type { DescribeTopicConfigsAnswer } from '@revocation-fabric/protocol';
import type {
  ConsumerEvents,
  FeedAdmin,
  FeedClient,
  FeedConsumer,
  FeedConsumerOptions,
  PartitionOffsets,
  PartitionPosition,
  RecordBatch,
} from './client.js';
import type { RevocationRecord } from './record-delivery.js';

/** How a fake consumer's connect behaves. */
export type ConnectBehaviour = 'succeeds' | 'fails' | 'hangs';

/** A consumer double: it records what was done to it; `report` is what its client would say. */
export class FakeConsumer implements FeedConsumer {
  readonly options: FeedConsumerOptions;
  readonly createdAt = Date.now();
  readonly #connect: ConnectBehaviour;
  disconnects = 0;
  running = false;
  /** Its disconnect fails (the broker away): it stays in its group until `sessionExpired()`. */
  disconnectFails = false;
  /** In its group at the broker: connected and not left. */
  member = false;

  constructor(options: FeedConsumerOptions, connect: ConnectBehaviour) {
    this.options = options;
    this.#connect = connect;
  }

  connect(): Promise<void> {
    if (this.#connect === 'fails') return Promise.reject(new Error('ECONNREFUSED'));
    if (this.#connect === 'hangs') return new Promise(() => {});
    this.member = true;
    return Promise.resolve();
  }

  subscribe(): Promise<void> {
    return Promise.resolve();
  }

  run(): Promise<void> {
    this.running = true;
    return Promise.resolve();
  }

  /** Every commit, in order: the receipts the feed gave. */
  readonly commits: (readonly PartitionPosition[])[] = [];

  commitOffsets(positions: readonly PartitionPosition[]): Promise<void> {
    this.commits.push(positions);
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.disconnects += 1;
    this.running = false;
    if (this.disconnectFails) return Promise.reject(new Error('ECONNREFUSED'));
    this.member = false;
    return Promise.resolve();
  }

  /** The coordinator dropped it (its session timed out). */
  sessionExpired(): void {
    this.member = false;
  }

  /** What the client would report. */
  get report(): ConsumerEvents {
    return this.options.events;
  }

  /** Joins, and returns the positions the feed asked to seek to. */
  join(): PartitionPosition[] {
    const seeks: PartitionPosition[] = [];
    this.report.joined((position) => seeks.push(position));
    return seeks;
  }
}

/**
 * An admin double answering fixed offsets; it records the groups it deleted. Like a broker, it
 * refuses to delete a group a consumer is still in.
 */
export class FakeAdmin implements FeedAdmin {
  offsets: PartitionOffsets[] = [];
  retention: DescribeTopicConfigsAnswer = { resources: [] };
  readonly deletedGroups: string[] = [];
  connected = false;
  readonly #consumers: readonly FakeConsumer[];

  constructor(consumers: readonly FakeConsumer[] = []) {
    this.#consumers = consumers;
  }

  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }

  partitionOffsets(): Promise<PartitionOffsets[]> {
    return Promise.resolve(this.offsets.map((offsets) => ({ ...offsets })));
  }

  clusterId(): Promise<string> {
    return Promise.resolve('fixture-cluster');
  }

  describeRetention(): Promise<DescribeTopicConfigsAnswer> {
    return Promise.resolve(this.retention);
  }

  deleteGroups(groupIds: readonly string[]): Promise<void> {
    const busy = groupIds.filter((groupId) =>
      this.#consumers.some((c) => c.member && c.options.groupId === groupId),
    );
    this.deletedGroups.push(...groupIds.filter((groupId) => !busy.includes(groupId)));
    if (busy.length > 0)
      return Promise.reject(new Error(`The group is not empty: ${busy.join(', ')}`));
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
}

/** A client double: each consumer connects as the next planned behaviour says. */
export class FakeClient implements FeedClient {
  readonly consumers: FakeConsumer[] = [];
  readonly admins: FakeAdmin[] = [];
  /** Behaviours of the next consumers, in order; then `otherwise`. */
  readonly plan: ConnectBehaviour[] = [];
  otherwise: ConnectBehaviour = 'succeeds';
  /** What every admin answers. */
  offsets: PartitionOffsets[] = [];

  consumer(options: FeedConsumerOptions): FakeConsumer {
    const consumer = new FakeConsumer(options, this.plan.shift() ?? this.otherwise);
    this.consumers.push(consumer);
    return consumer;
  }

  admin(): FakeAdmin {
    const admin = new FakeAdmin(this.consumers);
    admin.offsets = this.offsets;
    this.admins.push(admin);
    return admin;
  }

  last(): FakeConsumer {
    const consumer = this.consumers.at(-1);
    if (consumer === undefined) throw new Error('no consumer was created');
    return consumer;
  }

  /** Every group any admin deleted, in order. */
  deletedGroups(): string[] {
    return this.admins.flatMap((admin) => admin.deletedGroups);
  }

  /** ms between the creations of consecutive consumers. */
  gaps(): number[] {
    return this.consumers.slice(1).map((c, i) => c.createdAt - (this.consumers[i]?.createdAt ?? 0));
  }
}

/** A batch of partition 0 of `topic` holding `values` from offset `from` on. */
export function batchOf(
  topic: string,
  from: number,
  values: ReadonlyArray<Uint8Array | null>,
  highWatermark = from + values.length,
): RecordBatch {
  const records: RevocationRecord[] = values.map((value, i) => ({
    value,
    timestamp: Date.now(),
    topic,
    partition: 0,
    offset: from + i,
  }));
  return {
    topic,
    partition: 0,
    highWatermark,
    records,
    active: () => true,
    resolveOffset: () => {},
    heartbeat: () => Promise.resolve(),
  };
}
