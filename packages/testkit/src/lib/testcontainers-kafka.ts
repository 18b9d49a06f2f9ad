import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Readable } from 'node:stream';
import { confirmBrokers } from './confirm-brokers.js';

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

/**
 * The Kafka image the testkit runs: `KAFKA_IMAGE` if set (e.g. the project's local
 * `revocation-fabric/apache-kafka-from-maven:<version>`), else the official
 * `apache/kafka:<version>`. Both read the same KAFKA_* variables, so nothing else differs.
 */
export function kafkaImage(version: string): string {
  const fromEnv = process.env['KAFKA_IMAGE']?.trim();
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : `apache/kafka:${version}`;
}

/**
 * Every Kafka container the testkit starts carries this label (value: `shared` or `fault`) and
 * {@link OWNER_LABEL}. Ryuk, Testcontainers' reaper, cannot be pulled here
 * (TESTCONTAINERS_RYUK_DISABLED=true), so an interrupted run's containers are found by these
 * labels: by the next testkit start on this host and by infra/docker/test.sh.
 */
export const CONTAINER_LABEL = 'dev.revocation-fabric.testkit';
/** `<hostname>:<pid>` of the process that started the container. */
export const OWNER_LABEL = 'dev.revocation-fabric.owner';

/** A running single-node Apache Kafka container. */
export interface KafkaContainerHandle {
  readonly brokers: string[];
  /** The image it runs. */
  readonly image: string;
  /**
   * Removes the container (and its anonymous volumes) without a grace period (Testcontainers'
   * default): its data is thrown away anyway. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** A Kafka container whose broker a fault test may stop, crash and start again. */
export interface FaultKafkaContainerHandle extends KafkaContainerHandle {
  /** `docker stop`: SIGTERM, Kafka's controlled shutdown; resolves once the JVM is gone. */
  stopBroker(): Promise<void>;
  /** `docker kill`: SIGKILL. */
  killBroker(): Promise<void>;
  /** `docker start` of the same container (same data, same port); resolves once it answers. */
  startBroker(): Promise<void>;
}

const CLIENT_PORT = 9092;
const STARTER = '/tmp/testkit-start.sh';
const WAITING = 'testkit: waiting for start script';
const STARTED = 'Kafka Server started';

/**
 * KRaft single node, as the official image's variables describe it. `BROKER` is the inter-broker
 * listener inside the container, `PLAINTEXT` the one clients reach through the published port.
 */
function kafkaEnvironment(): Record<string, string> {
  return {
    // One id per container, fixed for its life: a restarted container keeps its formatted data.
    CLUSTER_ID: randomBytes(16).toString('base64url'),
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
  };
}

function labels(role: 'shared' | 'fault'): Record<string, string> {
  return { [CONTAINER_LABEL]: role, [OWNER_LABEL]: `${hostname()}:${process.pid}` };
}

/**
 * Removes testkit Kafka containers that an earlier process on this host started and can no
 * longer stop: their owner pid is gone (a run killed with SIGKILL, or a crashed worker).
 * Containers of live processes and of other hosts sharing the engine are left alone.
 */
export async function removeOrphanedKafkaContainers(log: (message: string) => void): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const here = hostname();
  for (const info of await client.container.list()) {
    const owner = info.Labels[OWNER_LABEL];
    if (info.Labels[CONTAINER_LABEL] === undefined || owner === undefined) continue;
    const separator = owner.lastIndexOf(':');
    const pid = Number(owner.slice(separator + 1));
    if (owner.slice(0, separator) !== here || !Number.isInteger(pid) || processAlive(pid)) continue;
    log(`removing Kafka container ${info.Id.slice(0, 12)} left by process ${pid}`);
    await client.container.remove(client.container.getById(info.Id), { removeVolumes: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but is not ours to signal, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts the run's shared broker: `image` as a KRaft single node on a port Docker picks.
 *
 * Not `@testcontainers/kafka`'s KafkaContainer: up to its current version (12.2) it writes
 * Confluent's start scripts (`/etc/confluent/docker/run`) and reads the tag as a Confluent
 * Platform version, so it cannot run `apache/kafka` images; see docs/decisions.md.
 *
 * The advertised listener must carry the host port Docker picks at start, which is only known
 * once the container runs; so (as Testcontainers' Java KafkaContainer does) the container first
 * waits for a start script, which is written with the mapped port and then runs the image's
 * own entry point.
 */
export async function startKafkaContainer(
  image: string,
  timeoutMs: number,
): Promise<KafkaContainerHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(image)
    .withLabels(labels('shared'))
    .withExposedPorts(CLIENT_PORT)
    .withEnvironment(kafkaEnvironment())
    .withEntrypoint(['sh'])
    .withCommand([
      '-c',
      `echo '${WAITING}'; while [ ! -f ${STARTER} ]; do sleep 0.1; done; exec sh ${STARTER}`,
    ])
    .withWaitStrategy(Wait.forLogMessage(WAITING))
    .withStartupTimeout(timeoutMs)
    .start();
  const stop = once(async () => {
    await container.stop({ remove: true, removeVolumes: true });
  });
  try {
    const advertised = `PLAINTEXT://${container.getHost()}:${container.getMappedPort(CLIENT_PORT)},BROKER://localhost:9093`;
    await container.copyContentToContainer([
      {
        content: `export KAFKA_ADVERTISED_LISTENERS=${advertised}\nexec /etc/kafka/docker/run\n`,
        target: STARTER,
        mode: 0o755,
      },
    ]);
    await waitForLine(await container.logs(), STARTED, timeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    brokers: [`${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`],
    image,
    stop,
  };
}

/**
 * Starts a broker container a fault test may stop and start again. Its host port is fixed at
 * creation (`hostPort`, free on the engine's host) rather than picked by Docker, because Docker
 * picks a new one at every `docker start`, and the advertised listener and the clients' broker
 * list must survive the restart.
 */
export async function startFaultKafkaContainer(
  image: string,
  hostPort: number,
  timeoutMs: number,
): Promise<FaultKafkaContainerHandle> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  const started = new GenericContainer(image)
    .withLabels(labels('fault'))
    .withExposedPorts({ container: CLIENT_PORT, host: hostPort })
    .withEnvironment(kafkaEnvironment())
    .withStartupTimeout(timeoutMs)
    .withWaitStrategy(Wait.forLogMessage(STARTED));
  // The advertised host is the engine's host as Testcontainers reaches it (localhost for a
  // local socket): known before start, since the port is ours.
  const host = client.info.containerRuntime.host;
  const container = await started
    .withEnvironment({
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort},BROKER://localhost:9093`,
    })
    .start();
  const brokers = [`${host}:${hostPort}`];
  const docker = client.container.getById(container.getId());
  const stop = once(async () => {
    await container.stop({ remove: true, removeVolumes: true });
  });
  return {
    brokers,
    image,
    stop,
    stopBroker: async () => {
      // In ms: the same grace period kafka-local gives a node before SIGKILL. Testcontainers'
      // default is 0, which is SIGKILL straight after SIGTERM: a crash, not a stop.
      await client.container.stop(docker, { timeout: 30_000 });
    },
    killBroker: async () => {
      await docker.kill();
      await docker.wait();
    },
    startBroker: async () => {
      await client.container.start(docker);
      await confirmBrokers(brokers, `Kafka container ${container.getId().slice(0, 12)}`, timeoutMs);
    },
  };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
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
