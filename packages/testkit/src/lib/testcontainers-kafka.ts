import type { Readable } from 'node:stream';

/**
 * Whether a Docker-compatible engine answers, decided by Testcontainers' own discovery
 * (DOCKER_HOST, ~/.testcontainers.properties, the usual sockets). With no engine this fails in
 * milliseconds; the timeout only guards against an engine that accepts and then hangs.
 * Testcontainers is imported lazily: it is large, and most runs here have no engine.
 */
export async function dockerEngineAnswers(timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** A running single-node Apache Kafka container. */
export interface KafkaContainerHandle {
  readonly brokers: string[];
  stop(): Promise<void>;
}

const CLIENT_PORT = 9092;
const STARTER = '/tmp/testkit-start.sh';
const WAITING = 'testkit: waiting for start script';

/**
 * Starts the official `apache/kafka:<version>` image as a KRaft single node.
 *
 * Not `@testcontainers/kafka`'s KafkaContainer: it drives Confluent's `cp-kafka` images (their
 * start scripts and version scheme), so it cannot run the Apache image of the Kafka version
 * pinned in packages/kafka-local/pom.xml, and every broker source must run that same version.
 *
 * The advertised listener must carry the host port Docker picks at start, which is only known
 * once the container runs; so (as Testcontainers' Java KafkaContainer does) the container first
 * waits for a start script, which is written with the mapped port and then runs the image's
 * own entry point.
 */
export async function startKafkaContainer(
  version: string,
  timeoutMs: number,
): Promise<KafkaContainerHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(`apache/kafka:${version}`)
    .withExposedPorts(CLIENT_PORT)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${CLIENT_PORT},BROKER://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
        'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9094',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '5',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
    })
    .withEntrypoint(['sh'])
    .withCommand([
      '-c',
      `echo '${WAITING}'; while [ ! -f ${STARTER} ]; do sleep 0.1; done; exec sh ${STARTER}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(WAITING))
    .withStartupTimeout(timeoutMs)
    .start();
  try {
    const advertised = `PLAINTEXT://${container.getHost()}:${container.getMappedPort(CLIENT_PORT)},BROKER://localhost:9093`;
    await container.copyContentToContainer([
      {
        content: `export KAFKA_ADVERTISED_LISTENERS=${advertised}\nexec /etc/kafka/docker/run\n`,
        target: STARTER,
        mode: 0o755,
      },
    ]);
    await waitForLine(await container.logs(), 'Kafka Server started', timeoutMs);
  } catch (error) {
    await container.stop();
    throw error;
  }
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`],
    stop: async () => {
      await container.stop();
    },
  };
}

function waitForLine(stream: Readable, text: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(
      () => finish(new Error(`Kafka container did not log '${text}' within ${timeoutMs} ms`)),
      timeoutMs,
    );
    let seen = '';
    const onData = (chunk: Buffer | string): void => {
      // Keep a tail so a line split across chunks is still found.
      seen = (seen + chunk.toString()).slice(-4_096);
      if (seen.includes(text)) finish();
    };
    stream.on('data', onData);
    stream.once('error', (error: Error) => finish(error));
  });
}
