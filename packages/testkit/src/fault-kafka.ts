/**
 * A Kafka cluster a test may break: stop, crash and restart its nodes. Fault tests need one of
 * their own — stopping the run's shared broker would break every other test file running at the
 * same time, and a broker named by `KAFKA_BROKERS` belongs to someone else. So whatever source
 * the run's broker came from, a fault test asks for this one: a fresh kafka-local cluster on
 * free ports, or — when the run's broker is a Testcontainers one (the globalSetup exports
 * `TESTKIT_KAFKA_SOURCE`) or `REQUIRE_KAFKA_SOURCE=testcontainers` — for a single plain node, a
 * Kafka container of its own whose broker `docker stop`/`kill`/`start` break and restore.
 * Three-node and secured clusters always come from kafka-local.
 */
import {
  ensureJars,
  killNode,
  pinnedKafkaVersion,
  startCluster,
  startNode,
  stopCluster,
  stopNode,
} from '@revocation-fabric/kafka-local';
import type { LocalCredentials, SecureClusterOptions } from '@revocation-fabric/kafka-local';
import { createServer } from 'node:net';
import { KafkaSourceMismatchError } from './errors.js';
import { kafkaImage, startFaultKafkaContainer } from './lib/testcontainers-kafka.js';

/** A running cluster of this test's own, with its nodes under the test's control. */
export interface FaultKafka {
  /** `host:port` of every node, in node order. */
  readonly brokers: string[];
  /** The Apache Kafka version the nodes run. */
  readonly kafkaVersion: string;
  /** Stops node `id` (1-based) gracefully (SIGTERM) and waits until its process is gone. */
  stopNode(id: number): Promise<void>;
  /** Crashes node `id` (SIGKILL). */
  killNode(id: number): Promise<void>;
  /** Starts node `id` again and waits until it has rejoined. */
  startNode(id: number): Promise<void>;
  /** Stops every node and deletes nothing else. Idempotent; call it in `afterAll`. */
  close(): Promise<void>;
  /** The principals of a secured cluster (`secure` option), else `undefined`. */
  readonly credentials: LocalCredentials | undefined;
  /** The topic a secured cluster's ACLs let `user-service` write, else `undefined`. */
  readonly topic: string | undefined;
  /** The topic they let `gateway` write (`<topic>.gateway`), else `undefined`. */
  readonly gatewayTopic: string | undefined;
}

/** A secured cluster of a test's own: see {@link startSecureKafka}. */
export interface SecureKafka extends FaultKafka {
  readonly credentials: LocalCredentials;
  readonly topic: string;
  readonly gatewayTopic: string;
}

/** Options of {@link startFaultKafka}. */
export interface StartFaultKafkaOptions {
  /** Cluster name, a directory under `.kafka/`; one per test file. */
  readonly name: string;
  /** Number of nodes. Default: 1. */
  readonly nodes?: 1 | 3 | undefined;
  /** Receives progress lines. Default: silent. */
  readonly log?: ((message: string) => void) | undefined;
  /**
   * Secure the cluster (SASL/SCRAM-SHA-512 and ACLs, see kafka-local's `startCluster`).
   * Default: false.
   */
  readonly secure?: boolean | SecureClusterOptions | undefined;
}

/** Whether this machine can give a fault test its own cluster, and if not, why. */
export type FaultKafkaSupport =
  { readonly supported: true } | { readonly supported: false; readonly reason: string };

let support: Promise<FaultKafkaSupport> | undefined;

/**
 * Tells whether {@link startFaultKafka} can work here: it needs Java 17+ (and Maven, the first
 * time, to resolve the broker jars). Checked once per process. Use it to skip with the reason:
 *
 * @example
 * ```ts
 * const faults = await faultKafkaSupport();
 * describe.skipIf(!faults.supported)('relay through a broker outage', () => { ... });
 * if (!faults.supported) console.warn(`fault tests skipped: ${faults.reason}`);
 * ```
 */
export function faultKafkaSupport(): Promise<FaultKafkaSupport> {
  // A container needs no jars on this side.
  if (containersWanted()) return Promise.resolve({ supported: true });
  support ??= ensureJars().then(
    (): FaultKafkaSupport => ({ supported: true }),
    (error: unknown): FaultKafkaSupport => ({
      supported: false,
      reason: `a fault test needs a Kafka cluster of its own from kafka-local (Java 17+ and Maven): ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  return support;
}

/**
 * Starts a fresh kafka-local cluster of `nodes` nodes on free ports, for a test that stops or
 * crashes its nodes.
 *
 * @example
 * ```ts
 * const kafka = await startFaultKafka({ name: 'relay-outage' });
 * try {
 *   await kafka.stopNode(1);
 *   // ... the outage ...
 *   await kafka.startNode(1);
 * } finally {
 *   await kafka.close();
 * }
 * ```
 */
export async function startFaultKafka(options: StartFaultKafkaOptions): Promise<FaultKafka> {
  const nodes = options.nodes ?? 1;
  const name = options.name;
  const plain = options.secure === undefined || options.secure === false;
  if (containersWanted()) {
    if (nodes === 1 && plain) return startContainerFaultKafka(options);
    if (process.env['REQUIRE_KAFKA_SOURCE']?.trim() === 'testcontainers') {
      throw new KafkaSourceMismatchError(
        'testcontainers',
        `fault cluster '${name}' (${nodes} nodes${plain ? '' : ', secured'}) only runs on kafka-local`,
      );
    }
  }
  // Node i listens on base + 2(i-1) and its controller one above: 2·nodes consecutive ports.
  const basePort = await freePortRange(2 * nodes);
  const cluster = await startCluster({
    name,
    nodes,
    basePort,
    fresh: true,
    log: options.log,
    secure: options.secure,
  });
  let closed: Promise<void> | undefined;
  return {
    brokers: [...cluster.brokers],
    kafkaVersion: cluster.kafkaVersion,
    stopNode: async (id) => {
      await stopNode(id, { name });
    },
    killNode: async (id) => {
      await killNode(id, { name });
    },
    startNode: async (id) => {
      await startNode(id, { name });
    },
    close: () => (closed ??= stopCluster({ name, timeoutMs: 20_000 }).then(() => undefined)),
    credentials: cluster.credentials,
    topic: cluster.topic,
    gatewayTopic: cluster.gatewayTopic,
  };
}

/**
 * Starts a fresh secured kafka-local cluster of the test's own: SASL/SCRAM-SHA-512 clients,
 * `StandardAuthorizer`, and the principals `admin` (super user), `user-service` (produces
 * `kafka.topic`), `gateway` (produces `kafka.gatewayTopic` only) and `verifier` (consumes both).
 * Give clients `kafka.credentials.<principal>` as their `sasl` option; create the topics as
 * `admin`.
 *
 * @example
 * ```ts
 * const kafka = await startSecureKafka({ name: 'secured' });
 * await createTopic(kafka.brokers, { topic: kafka.topic, sasl: kafka.credentials.admin });
 * const writer = await openTopicWriter(kafka.brokers, { clientId: 'w', sasl: kafka.credentials.userService });
 * ```
 */
export async function startSecureKafka(
  options: Omit<StartFaultKafkaOptions, 'secure'> & {
    readonly secure?: SecureClusterOptions | undefined;
  },
): Promise<SecureKafka> {
  const kafka = await startFaultKafka({ ...options, secure: options.secure ?? true });
  const { credentials, topic, gatewayTopic } = kafka;
  if (credentials === undefined || topic === undefined || gatewayTopic === undefined) {
    await kafka.close();
    throw new Error(`cluster ${options.name} started without credentials`);
  }
  return { ...kafka, credentials, topic, gatewayTopic };
}

function containersWanted(): boolean {
  return (
    process.env['REQUIRE_KAFKA_SOURCE']?.trim() === 'testcontainers' ||
    process.env['TESTKIT_KAFKA_SOURCE'] === 'testcontainers'
  );
}

async function startContainerFaultKafka(options: StartFaultKafkaOptions): Promise<FaultKafka> {
  const kafkaVersion = pinnedKafkaVersion();
  const image = kafkaImage(kafkaVersion);
  options.log?.(`starting ${image} with Testcontainers for fault cluster '${options.name}' ...`);
  const container = await startFaultKafkaContainer(image, await freePortRange(1), 180_000);
  const only = (id: number): void => {
    if (id !== 1)
      throw new RangeError(`fault cluster '${options.name}' has node 1 only, not ${id}`);
  };
  return {
    brokers: container.brokers,
    kafkaVersion,
    stopNode: async (id) => {
      only(id);
      await container.stopBroker();
    },
    killNode: async (id) => {
      only(id);
      await container.killBroker();
    },
    startNode: async (id) => {
      only(id);
      await container.startBroker();
    },
    close: () => container.stop(),
    credentials: undefined,
    topic: undefined,
    gatewayTopic: undefined,
  };
}

/** Lowest and highest base port tried; above the ephemeral range's usual start is avoided. */
const PORT_FLOOR = 20_000;
const PORT_CEILING = 30_000;

/** Finds `count` consecutive free loopback ports and returns the first. */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base =
      PORT_FLOOR + 2 * Math.floor((Math.random() * (PORT_CEILING - PORT_FLOOR - count)) / 2);
    let free = true;
    for (let port = base; port < base + count && free; port += 1) free = await portFree(port);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports between ${PORT_FLOOR} and ${PORT_CEILING}`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
