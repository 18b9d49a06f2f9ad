import { pinnedKafkaVersion, startCluster, stopCluster } from '@revocation-fabric/kafka-local';
import { KafkaSourceMismatchError } from './errors.js';
import { saslFromEnvironment } from './lib/env-sasl.js';
import { confirmBrokers } from './lib/confirm-brokers.js';
import {
  dockerEngineAnswers,
  kafkaImage,
  removeOrphanedKafkaContainers,
  startKafkaContainer,
} from './lib/testcontainers-kafka.js';

/** Where the broker came from. */
export type KafkaSource = 'env' | 'testcontainers' | 'local';

/** A reachable Kafka for tests. */
export interface KafkaBroker {
  /** `host:port` list for kafkajs' `brokers`. */
  readonly brokers: string[];
  /**
   * `env`: `KAFKA_BROKERS` named it. `testcontainers`: a container started for this run.
   * `local`: the local jar broker (`pnpm kafka start`), started on demand or found running.
   */
  readonly source: KafkaSource;
  /** The Apache Kafka version; for `env`, `KAFKA_VERSION` if set, else `unknown`. */
  readonly kafkaVersion: string;
  /** For `testcontainers`: the image the container runs (see `KAFKA_IMAGE`). */
  readonly image?: string | undefined;
  /** Stops the broker if this call started it; otherwise does nothing. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link getKafka}. */
export interface GetKafkaOptions {
  /**
   * Broker port of the local jar broker (the `local` source). Default: `KAFKA_LOCAL_PORT` if
   * set, else 9092.
   */
  readonly localPort?: number;
  /** How long a broker may take to start and answer, in ms. Default: 180 000. */
  readonly startTimeoutMs?: number;
  /** How long to wait for a Docker engine to answer, in ms. Default: 3 000. */
  readonly dockerTimeoutMs?: number;
  /** Receives progress lines (starting a broker can take a while). Default: silent. */
  readonly log?: (message: string) => void;
}

/**
 * Finds or starts a real Apache Kafka broker, in this order:
 * 1. `KAFKA_BROKERS` (comma-separated `host:port`) if set: used as is, never stopped;
 * 2. a container of `KAFKA_IMAGE` (default `apache/kafka:<pinned version>`) if a Docker engine
 *    answers;
 * 3. the local jar broker of `@revocation-fabric/kafka-local`, reused if already running.
 *
 * `REQUIRE_KAFKA_SOURCE=env|testcontainers|local` makes any other outcome an error (the Docker
 * leg sets `testcontainers`, so it cannot pass on the jar broker by accident).
 * Every source is confirmed with a metadata request before this resolves.
 *
 * @throws {BrokersUnreachableError} the brokers did not answer.
 * @throws {KafkaSourceMismatchError} `REQUIRE_KAFKA_SOURCE` names a source that is not available.
 * @example
 * ```ts
 * const kafka = await getKafka();
 * try { ... new Kafka({ brokers: kafka.brokers }) ... } finally { await kafka.stop(); }
 * ```
 */
export async function getKafka(options: GetKafkaOptions = {}): Promise<KafkaBroker> {
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const log = options.log ?? ((): void => undefined);

  const required = requiredSource();
  const fromEnv = process.env['KAFKA_BROKERS']?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    if (required !== undefined && required !== 'env') {
      throw new KafkaSourceMismatchError(required, 'KAFKA_BROKERS is set (unset it)');
    }
    const brokers = parseBrokers(fromEnv);
    // A secured broker (KAFKA_SASL_*, as the services read them) is confirmed as that principal.
    await confirmBrokers(brokers, 'KAFKA_BROKERS', 30_000, saslFromEnvironment(process.env));
    return {
      brokers,
      source: 'env',
      kafkaVersion: process.env['KAFKA_VERSION']?.trim() || 'unknown',
      stop: () => Promise.resolve(),
    };
  }

  const kafkaVersion = pinnedKafkaVersion();
  const engine =
    required === 'local' ? false : await dockerEngineAnswers(options.dockerTimeoutMs ?? 3_000);
  if (required === 'testcontainers' && !engine) {
    throw new KafkaSourceMismatchError(
      required,
      'no Docker engine answers (DOCKER_HOST; infra/docker/engine.sh start)',
    );
  }
  if (required === 'env') {
    throw new KafkaSourceMismatchError(required, 'KAFKA_BROKERS is not set');
  }
  if (engine) {
    const image = kafkaImage(kafkaVersion);
    await removeOrphanedKafkaContainers(log);
    log(`starting ${image} with Testcontainers ...`);
    const container = await startKafkaContainer(image, startTimeoutMs);
    try {
      await confirmBrokers(container.brokers, 'Testcontainers', 60_000);
    } catch (error) {
      await container.stop();
      throw error;
    }
    return {
      brokers: container.brokers,
      source: 'testcontainers',
      kafkaVersion,
      image,
      stop: once(() => container.stop()),
    };
  }

  const basePort = options.localPort ?? localPortFromEnv();
  const cluster = await startCluster({ basePort, startTimeoutMs, log });
  const brokers = [...cluster.brokers];
  await confirmBrokers(brokers, `local cluster '${cluster.name}'`, 60_000);
  return {
    brokers,
    source: 'local',
    kafkaVersion: cluster.kafkaVersion,
    // A broker someone started before us (`pnpm kafka start`) is theirs to stop.
    stop: cluster.alreadyRunning
      ? () => Promise.resolve()
      : once(async () => {
          await stopCluster({ name: cluster.name });
        }),
  };
}

const SOURCES: readonly KafkaSource[] = ['env', 'testcontainers', 'local'];

function requiredSource(): KafkaSource | undefined {
  const value = process.env['REQUIRE_KAFKA_SOURCE']?.trim();
  if (value === undefined || value === '') return undefined;
  if (!(SOURCES as readonly string[]).includes(value)) {
    throw new TypeError(
      `REQUIRE_KAFKA_SOURCE must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as KafkaSource;
}

function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker !== '');
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(broker) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(broker)) {
      throw new TypeError(
        `KAFKA_BROKERS must be comma-separated host:port pairs, got ${JSON.stringify(value)}`,
      );
    }
  }
  return brokers;
}

function localPortFromEnv(): number | undefined {
  const value = process.env['KAFKA_LOCAL_PORT'];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65_530) {
    throw new TypeError(
      `KAFKA_LOCAL_PORT must be an integer port from 1024 to 65530, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
