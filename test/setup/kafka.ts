/**
 * Vitest globalSetup of the integration project: one real Kafka broker for the whole run.
 * Chooses it with the testkit (KAFKA_BROKERS → Testcontainers → local jar broker), hands it to
 * test files through `inject('kafka')` and KAFKA_BROKERS, and at the end stops it only if it
 * was started here: a broker from `pnpm kafka start` or KAFKA_BROKERS outlives the run.
 * A container an interrupted run leaves behind carries the testkit's labels: the next run on this
 * host removes it (its owner pid is gone), and infra/docker/test.sh removes them at its end.
 */
import { getKafka, logBroker, type KafkaSource } from '@revocation-fabric/testkit';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of every broker of the run's Kafka. */
    kafkaBrokers: string[];
    /** The run's Kafka: brokers, where it came from, its version (for `logBroker`). */
    kafka: { brokers: string[]; source: KafkaSource; kafkaVersion: string; image?: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const kafka = await getKafka({ log: (message) => console.info(`[testkit] ${message}`) });
  process.env['KAFKA_BROKERS'] = kafka.brokers.join(',');
  process.env['KAFKA_VERSION'] = kafka.kafkaVersion;
  // Fault tests (startFaultKafka) follow the run's source: with Testcontainers they break a
  // container of their own instead of a jar cluster.
  process.env['TESTKIT_KAFKA_SOURCE'] = kafka.source;
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('kafka', {
    brokers: kafka.brokers,
    source: kafka.source,
    kafkaVersion: kafka.kafkaVersion,
    ...(kafka.image !== undefined ? { image: kafka.image } : {}),
  });
  logBroker(kafka);
  return async () => {
    await kafka.stop();
  };
}
