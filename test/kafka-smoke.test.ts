import { createTopic, logBroker, uniqueTopic, waitFor } from '@revocation-fabric/testkit';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';

const RECORDS = 300;
const kafka = inject('kafka');
// kafkajs logs retriable errors (e.g. "coordinator is loading" while __consumer_offsets is
// created on first use) at ERROR; real failures surface as rejected calls and failed assertions.
const quiet = logLevel.NOTHING;

describe('Kafka smoke test', () => {
  const producerClient = new Kafka({
    clientId: 'smoke-producer',
    brokers: kafka.brokers,
    logLevel: quiet,
  });
  // A separate client: what is read back must come from the broker, not from shared state.
  const consumerClient = new Kafka({
    clientId: 'smoke-consumer',
    brokers: kafka.brokers,
    logLevel: quiet,
  });
  const producer = producerClient.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = consumerClient.consumer({ groupId: uniqueTopic('smoke-group') });

  afterAll(async () => {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
  });

  it('reads back every keyed record an idempotent acks=all producer wrote to a 3-partition topic', async () => {
    logBroker(kafka);
    const topic = uniqueTopic('smoke');
    await createTopic(kafka.brokers, { topic, partitions: 3, replicationFactor: 1 });

    const sent = new Map<string, string>();
    for (let index = 0; index < RECORDS; index += 1) sent.set(`key-${index}`, `value-${index}`);
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [...sent].map(([key, value]) => ({ key, value })),
    });

    const received = new Map<string, string>();
    const partitions = new Set<number>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        partitions.add(partition);
        received.set(message.key?.toString() ?? '', message.value?.toString() ?? '');
      },
    });
    await waitFor(() => received.size >= RECORDS, {
      timeoutMs: 60_000,
      description: `${RECORDS} records`,
    });

    expect(received).toEqual(sent);
    // Keys hash across partitions; 300 keys all landing in one partition would mean no spread.
    expect(partitions.size).toBe(3);
  });
});
