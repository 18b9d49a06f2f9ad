import { join } from 'node:path';

/** The shapes a local cluster can take: one combined node, or three for fault tests. */
export type NodeCount = 1 | 3;

/** Everything needed to (re)write a cluster's files; persisted as `cluster.json`. */
export interface ClusterSpec {
  readonly name: string;
  readonly nodes: NodeCount;
  readonly basePort: number;
  /** Interface every listener binds and advertises. Loopback: these brokers are for this machine. */
  readonly host: string;
  /** KRaft cluster id the storage was formatted with. */
  readonly clusterId: string;
  readonly kafkaVersion: string;
  readonly heap: { readonly initialMb: number; readonly maxMb: number };
  /** Present when the cluster is secured (SASL/SCRAM clients, StandardAuthorizer ACLs). */
  readonly secure?: SecureSpec | undefined;
  /** JMX port of node 1 (node `i` listens on `jmxBasePort + i - 1`); absent: no JMX agent. */
  readonly jmxBasePort?: number | undefined;
}

/** What a secured cluster authorizes: see `revocationAcls`. */
export interface SecureSpec {
  /** The revocation topic the producer and verifier principals may use. */
  readonly topic: string;
  /** Prefixes of the verifier principal's consumer group ids (`<clientId>-<uuid>`). */
  readonly verifierGroupPrefixes: readonly string[];
}

/** Where a node's files live inside its cluster directory. */
export interface NodeLayout {
  readonly id: number;
  readonly brokerPort: number;
  readonly controllerPort: number;
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly pidFile: string;
  readonly serverProperties: string;
  readonly log4j2Properties: string;
}

/**
 * Port scheme: node `i` (1-based) gets broker port `base + 2(i-1)` and controller port one above.
 * One node on 9092 → 9092/9093; three nodes → 9092/9093, 9094/9095, 9096/9097.
 */
export function nodePorts(
  basePort: number,
  nodeId: number,
): { broker: number; controller: number } {
  const broker = basePort + 2 * (nodeId - 1);
  return { broker, controller: broker + 1 };
}

/** The JMX port of node `nodeId`, when the cluster was started with one. */
export function nodeJmxPort(
  spec: Pick<ClusterSpec, 'jmxBasePort'>,
  nodeId: number,
): number | undefined {
  return spec.jmxBasePort === undefined ? undefined : spec.jmxBasePort + nodeId - 1;
}

/** The node ids of a cluster, `1..nodes`. */
export function nodeIds(spec: Pick<ClusterSpec, 'nodes'>): number[] {
  return Array.from({ length: spec.nodes }, (_, index) => index + 1);
}

/** File layout of node `id` of the cluster rooted at `clusterDir`. */
export function nodeLayout(clusterDir: string, basePort: number, id: number): NodeLayout {
  const dir = join(clusterDir, `node-${id}`);
  const ports = nodePorts(basePort, id);
  return {
    id,
    brokerPort: ports.broker,
    controllerPort: ports.controller,
    dir,
    dataDir: join(dir, 'data'),
    logFile: join(dir, 'logs', 'server.log'),
    pidFile: join(dir, 'kafka.pid'),
    serverProperties: join(dir, 'server.properties'),
    log4j2Properties: join(dir, 'log4j2.properties'),
  };
}

/** Renders `server.properties` for one combined broker+controller node. */
export function renderServerProperties(
  spec: ClusterSpec,
  node: NodeLayout,
  adminPassword?: string,
): string {
  const voters = nodeIds(spec)
    .map((id) => `${id}@${spec.host}:${nodePorts(spec.basePort, id).controller}`)
    .join(',');
  // Three nodes model production durability: RF 3 with min ISR 2 survives one node down
  // while acks=all writes keep succeeding. One node can only ever hold one replica.
  const replication = spec.nodes === 3 ? 3 : 1;
  const minIsr = spec.nodes === 3 ? 2 : 1;
  const settings: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', node.id],
    // Static voters (not KIP-853 dynamic quorum): the set is fixed, so storage is formatted
    // without --standalone and every node can be formatted independently with one cluster id.
    ['controller.quorum.voters', voters],
    ...listenerSettings(spec, node, adminPassword),
    ['log.dirs', node.dataDir],
    ['default.replication.factor', replication],
    ['min.insync.replicas', minIsr],
    ['offsets.topic.replication.factor', replication],
    ['transaction.state.log.replication.factor', replication],
    ['transaction.state.log.min.isr', minIsr],
    ['share.coordinator.state.topic.replication.factor', replication],
    ['share.coordinator.state.topic.min.isr', minIsr],
    // Internal topics default to 50 partitions each; creating 50 (x3 replicas) on first use
    // stalls a 2-core machine for seconds. A handful is plenty for development traffic.
    ['offsets.topic.num.partitions', 5],
    ['transaction.state.log.num.partitions', 5],
    ['share.coordinator.state.topic.num.partitions', 5],
    // Tests start a consumer group and expect it to get partitions now, not after 3 s.
    ['group.initial.rebalance.delay.ms', 0],
    // Sized for 2 cores and a 512 MB heap: the defaults assume a server (8 I/O threads,
    // a 128 MB log-cleaner buffer taken from the heap).
    ['num.network.threads', 2],
    ['num.io.threads', 4],
    ['background.threads', 4],
    ['log.cleaner.threads', 1],
    ['log.cleaner.dedupe.buffer.size', 16 * 1024 * 1024],
  ];
  return [
    `# Generated by @revocation-fabric/kafka-local for cluster '${spec.name}', node ${node.id}.`,
    '# Rewritten on every start: edit packages/kafka-local/src/lib/config.ts instead.',
    ...settings.map(([key, value]) => `${key}=${value}`),
    '',
  ].join('\n');
}

/**
 * Listeners. Plain: PLAINTEXT clients and controllers. Secured: every listener authenticates, so
 * no port on the machine serves an anonymous principal. The client listener (also inter-broker)
 * speaks SASL/SCRAM-SHA-512 against credentials stored in the metadata log at format time; the
 * controller listener speaks SASL/PLAIN with the admin user from its JAAS line, because
 * controllers must authenticate each other before they can read SCRAM credentials from metadata.
 * `admin` is the super user; everyone else is denied unless an ACL allows it.
 */
function listenerSettings(
  spec: ClusterSpec,
  node: NodeLayout,
  adminPassword: string | undefined,
): [string, string][] {
  const client = spec.secure === undefined ? 'PLAINTEXT' : 'CLIENT';
  const listeners: [string, string][] = [
    [
      'listeners',
      `${client}://${spec.host}:${node.brokerPort},CONTROLLER://${spec.host}:${node.controllerPort}`,
    ],
    ['advertised.listeners', `${client}://${spec.host}:${node.brokerPort}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', client],
  ];
  if (spec.secure === undefined) {
    return [
      ...listeners,
      ['listener.security.protocol.map', 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT'],
    ];
  }
  if (adminPassword === undefined)
    throw new TypeError('a secured cluster needs the admin password');
  const admin = `username="admin" password="${adminPassword}"`;
  return [
    ...listeners,
    ['listener.security.protocol.map', 'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT'],
    ['listener.name.client.sasl.enabled.mechanisms', 'SCRAM-SHA-512'],
    ['sasl.mechanism.inter.broker.protocol', 'SCRAM-SHA-512'],
    [
      'listener.name.client.scram-sha-512.sasl.jaas.config',
      `org.apache.kafka.common.security.scram.ScramLoginModule required ${admin};`,
    ],
    ['listener.name.controller.sasl.enabled.mechanisms', 'PLAIN'],
    ['sasl.mechanism.controller.protocol', 'PLAIN'],
    [
      'listener.name.controller.plain.sasl.jaas.config',
      `org.apache.kafka.common.security.plain.PlainLoginModule required ${admin} user_admin="${adminPassword}";`,
    ],
    ['authorizer.class.name', 'org.apache.kafka.metadata.authorizer.StandardAuthorizer'],
    ['allow.everyone.if.no.acl.found', 'false'],
    ['super.users', 'User:admin'],
  ];
}

/**
 * Renders the log4j2 configuration for the broker and StorageTool. The root level is a system
 * property so StorageTool can run at `warn` (at `info` it prints the whole broker config).
 */
export function renderLog4j2Properties(): string {
  return [
    '# Generated by @revocation-fabric/kafka-local.',
    'status = warn',
    'name = kafka-local',
    'appender.out.type = Console',
    'appender.out.name = OUT',
    'appender.out.layout.type = PatternLayout',
    'appender.out.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = ${sys:kafka.root.level:-info}',
    'rootLogger.appenderRefs = out',
    'rootLogger.appenderRef.out.ref = OUT',
    // These two log every request / every partition state change at info: noise in development.
    'logger.request.name = kafka.request.logger',
    'logger.request.level = warn',
    'logger.state.name = state.change.logger',
    'logger.state.level = warn',
    // Every config object logs all its values at info: ~2 000 lines per broker start. The
    // effective settings are in server.properties next to the log.
    'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
    'logger.config.level = warn',
    '',
  ].join('\n');
}
