import {
  createTopic,
  faultKafkaSupport,
  logBroker,
  openTopicWriter,
  partitionLeader,
  startFaultKafka,
  startTopicReader,
  uniqueTopic,
  waitFor,
  type FaultKafka,
  type TopicWriter,
} from '@revocation-fabric/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Its own three-node cluster on its own ports, never the run's shared broker: killing a node
// of that one would break every other test file running at the same time.
const faults = await faultKafkaSupport();
if (!faults.supported) console.warn(`[fault] skipped: ${faults.reason}`);

interface Ack {
  readonly partition: number;
  readonly offset: string;
  readonly value: string;
}

describe.skipIf(!faults.supported)('three-node Kafka cluster under a broker crash', () => {
  let cluster: FaultKafka | undefined;

  beforeAll(async () => {
    cluster = await startFaultKafka({ name: 'fault-test', nodes: 3 });
  }, 240_000);

  afterAll(async () => {
    // Runs even when the test (or beforeAll, part-way) failed.
    await cluster?.close();
  }, 120_000);

  it('keeps every acks=all record acknowledged while a partition leader is SIGKILLed and restarted', async () => {
    if (cluster === undefined) throw new Error('the fault cluster did not start');
    logBroker({ brokers: cluster.brokers, source: 'local', kafkaVersion: cluster.kafkaVersion });
    const brokers = [...cluster.brokers];
    const topic = uniqueTopic('fault');
    // RF 3 with min ISR 2: an acks=all write is on at least two brokers before it is acked,
    // so losing any one broker must not lose it.
    await createTopic(brokers, {
      topic,
      partitions: 3,
      replicationFactor: 3,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    });

    // Until the dead broker is fenced (broker.session.timeout.ms, 9 s) its partitions have no
    // reachable leader; the producer must keep retrying through that window, not give up.
    const producer = await openTopicWriter(brokers, {
      clientId: 'fault-producer',
      retries: 30,
      maxRetryTimeMs: 2_000,
    });

    const acked = new Map<string, Ack>();
    let victim: number | undefined;
    let ackedAtCrash = 0;
    let ackedAtRestart = 0;
    const failures: Error[] = [];
    let producing = true;
    const producing$ = produceUntilStopped(producer, topic, acked, failures, () => producing);

    try {
      await waitFor(() => acked.size >= 100, {
        timeoutMs: 60_000,
        description: '100 acks before the crash',
      });

      victim = await partitionLeader(brokers, topic, 0);

      await cluster.killNode(victim);
      ackedAtCrash = acked.size;
      await waitFor(() => acked.size >= ackedAtCrash + 100, {
        timeoutMs: 90_000,
        description: `100 acks with node ${victim} down`,
      });

      await cluster.startNode(victim);
      ackedAtRestart = acked.size;
      await waitFor(() => acked.size >= ackedAtRestart + 100, {
        timeoutMs: 90_000,
        description: `100 acks after node ${victim} rejoined`,
      });
    } finally {
      producing = false;
      await producing$;
      await producer.close();
    }

    const found = await readAll(brokers, topic, acked, 90_000);
    const missing = [...acked].filter(([key, ack]) => {
      const record = found.get(key);
      return (
        record?.value !== ack.value ||
        record.partition !== ack.partition ||
        record.offset !== ack.offset
      );
    });
    console.info(
      `[fault] node ${victim} SIGKILLed after ${ackedAtCrash} acks, back after ${ackedAtRestart}; ` +
        `${acked.size} acked, ${failures.length} sends failed after retries, ${missing.length} acked records missing`,
    );
    expect(acked.size).toBeGreaterThanOrEqual(300);
    expect(missing.map(([key]) => key)).toEqual([]);
  });
});

/**
 * Sends one record at a time (so each ack names exactly one offset) until told to stop.
 * A send that fails after all retries was never acknowledged and is only counted.
 */
async function produceUntilStopped(
  producer: TopicWriter,
  topic: string,
  acked: Map<string, Ack>,
  failures: Error[],
  keepGoing: () => boolean,
): Promise<void> {
  for (let index = 0; keepGoing(); index += 1) {
    const key = `key-${index}`;
    const value = `value-${index}-${Date.now()}`;
    try {
      const [meta] = await producer.send(topic, [{ key, value }]);
      if (meta === undefined) throw new Error(`no offset acknowledged for ${key}`);
      acked.set(key, { partition: meta.partition, offset: meta.baseOffset, value });
    } catch (error) {
      failures.push(error as Error);
    }
  }
}

/** Consumes the topic from the beginning until every acknowledged key is seen (or time runs out). */
async function readAll(
  brokers: readonly string[],
  topic: string,
  acked: ReadonlyMap<string, Ack>,
  timeoutMs: number,
): Promise<Map<string, Ack>> {
  const found = new Map<string, Ack>();
  const reader = await startTopicReader(brokers, topic, {
    clientId: 'fault-reader',
    groupId: uniqueTopic('fault-reader'),
    onRecord: (record) => {
      found.set(record.key?.toString() ?? '', {
        partition: record.partition,
        offset: record.offset,
        value: record.value?.toString() ?? '',
      });
    },
  });
  try {
    await waitFor(() => [...acked.keys()].every((key) => found.has(key)), {
      timeoutMs,
      intervalMs: 250,
    }).catch(
      () => undefined, // the assertion that follows names the missing keys
    );
  } finally {
    await reader.close();
  }
  return found;
}
