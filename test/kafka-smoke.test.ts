import {
  createTopic,
  logBroker,
  openTopicWriter,
  startTopicReader,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import { describe, expect, inject, it } from 'vitest';

const RECORDS = 300;
const kafka = inject('kafka');

describe('Kafka smoke test', () => {
  it('reads back every keyed record an idempotent acks=all producer wrote to a 3-partition topic', async () => {
    logBroker(kafka);
    const topic = uniqueTopic('smoke');
    await createTopic(kafka.brokers, { topic, partitions: 3, replicationFactor: 1 });

    const sent = new Map<string, string>();
    for (let index = 0; index < RECORDS; index += 1) sent.set(`key-${index}`, `value-${index}`);
    const writer = await openTopicWriter(kafka.brokers, { clientId: 'smoke-producer' });
    // A separate client: what is read back must come from the broker, not from shared state.
    const reader = await startTopicReader(kafka.brokers, topic, {
      clientId: 'smoke-consumer',
      groupId: uniqueTopic('smoke-group'),
    });
    try {
      await writer.send(
        topic,
        [...sent].map(([key, value]) => ({ key, value })),
      );
      await waitFor(() => reader.records.length >= RECORDS, {
        timeoutMs: 60_000,
        description: `${RECORDS} records`,
      });
    } finally {
      await Promise.allSettled([writer.close(), reader.close()]);
    }

    const received = new Map(
      reader.records.map((r) => [r.key?.toString() ?? '', r.value?.toString() ?? '']),
    );
    expect(received).toEqual(sent);
    // Keys hash across partitions; 300 keys all landing in one partition would mean no spread.
    expect(new Set(reader.records.map((r) => r.partition)).size).toBe(3);
  });
});
