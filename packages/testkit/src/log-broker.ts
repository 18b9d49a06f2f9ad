import type { KafkaSource, KafkaBroker } from './get-kafka.js';

const SOURCE_LABEL: Record<KafkaSource, string> = {
  env: 'KAFKA_BROKERS',
  testcontainers: 'testcontainers',
  local: 'local jar broker',
};

/**
 * The one line that says which broker a test run talks to, e.g.
 * `[testkit] Apache Kafka 4.4.0 (local jar broker) at 127.0.0.1:9092`.
 *
 * @example
 * ```ts
 * describeBroker(await getKafka());
 * ```
 */
export function describeBroker(
  kafka: Pick<KafkaBroker, 'brokers' | 'source' | 'kafkaVersion' | 'image'>,
): string {
  const nodes = kafka.brokers.length > 1 ? `, ${kafka.brokers.length} brokers` : '';
  const image = kafka.image !== undefined ? ` ${kafka.image}` : '';
  return `[testkit] Apache Kafka ${kafka.kafkaVersion} (${SOURCE_LABEL[kafka.source]}${image}${nodes}) at ${kafka.brokers.join(',')}`;
}

/**
 * Prints {@link describeBroker}'s line, so every test log records the Kafka version it ran
 * against. `print` defaults to `console.info`.
 *
 * @example
 * ```ts
 * logBroker(kafka); // [testkit] Apache Kafka 4.4.0 (local jar broker) at 127.0.0.1:9092
 * ```
 */
export function logBroker(
  kafka: Pick<KafkaBroker, 'brokers' | 'source' | 'kafkaVersion' | 'image'>,
  // Printing into the test output is this function's purpose, hence the console default
  // (packages otherwise must not print; see eslint.config.js).
  // eslint-disable-next-line no-console
  print: (line: string) => void = console.info,
): void {
  print(describeBroker(kafka));
}
