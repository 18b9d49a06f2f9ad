#!/usr/bin/env node
/**
 * `pnpm kafka <command>`: start, inspect and stop local Apache Kafka clusters made of real
 * broker JVMs. Human-readable progress goes to stderr; `start` prints only the bootstrap
 * address on stdout, so `export KAFKA_BROKERS=$(pnpm -s kafka start)` works.
 */
import type { ParseArgsConfig } from 'node:util';
import { clusterStatus, listClusters, type ClusterStatus } from './cluster-status.js';
import { ensureJars } from './ensure-jars.js';
import { KafkaLocalError } from './errors.js';
import {
  DEFAULT_BASE_PORT,
  defaultClusterName,
  type ClusterSelector,
} from './lib/cluster-files.js';
import {
  UsageError,
  helpOrUnknown,
  parseCommand,
  portOption,
  runCommandLine,
} from './local-tools/index.js';
import { startCluster } from './start-cluster.js';
import { startNode } from './start-node.js';
import { stopCluster } from './stop-cluster.js';
import { killNode, stopNode } from './stop-node.js';

const USAGE = `usage: pnpm kafka <command> [options]

commands:
  start [--nodes 1|3] [--port N] [--name NAME] [--fresh] [--secure] [--jmx-port N]
                         start a local cluster (or find it running); prints the bootstrap address
  stop [--name NAME | --port N] [--all]
                         stop a cluster (SIGTERM, then SIGKILL after 30 s); --all stops every cluster
  status [--name NAME]   show every cluster (or one): pids, ports, which nodes each node sees
  stop-node <id> [--name NAME | --port N]
                         gracefully stop one node (SIGTERM)
  kill-node <id> [--name NAME | --port N]
                         crash one node (SIGKILL)
  start-node <id> [--name NAME | --port N]
                         restart one node and wait until it has rejoined
  setup                  resolve the broker jars with Maven (done automatically by start)

options:
  --nodes 1|3   number of combined broker+controller nodes (default 1)
  --port N      broker port of node 1; node i uses N+2(i-1), its controller one above (default ${DEFAULT_BASE_PORT})
  --name NAME   cluster name, a directory under .kafka/ (default local-<port>)
  --fresh       delete the cluster's data first
  --jmx-port N  open each node's JVM to JMX on 127.0.0.1 (no authentication): node i on N+(i-1),
                for Kafka's JmxTool and other readers of the broker's own metrics
  --secure      SASL/SCRAM-SHA-512 clients and ACLs: user-service may write auth.revocations,
                gateway auth.revocations.gateway, verifier read both, admin anything;
                prints the credentials, kept in .kafka/<name>/credentials.json`;

const log = (message: string): void => console.error(`kafka-local: ${message}`);

const selectorOptions = {
  name: { type: 'string' },
  port: { type: 'string' },
} satisfies ParseArgsConfig['options'];

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start': {
      const { values } = parseCommand(rest, {
        ...selectorOptions,
        nodes: { type: 'string' },
        fresh: { type: 'boolean' },
        secure: { type: 'boolean' },
        'jmx-port': { type: 'string' },
      });
      const jmxPort = values['jmx-port'];
      const jmxBasePort = jmxPort === undefined ? undefined : Number(jmxPort);
      if (jmxBasePort !== undefined && (!Number.isInteger(jmxBasePort) || jmxBasePort < 1024)) {
        throw new UsageError(`--jmx-port must be an integer port from 1024, got ${jmxPort}`);
      }
      const nodes = values.nodes === undefined ? 1 : Number(values.nodes);
      if (nodes !== 1 && nodes !== 3)
        throw new UsageError(`--nodes must be 1 or 3, got ${values.nodes}`);
      const basePort = portOption(values.port, DEFAULT_BASE_PORT);
      const started = Date.now();
      const cluster = await startCluster({
        nodes,
        basePort,
        name: values.name,
        fresh: values.fresh,
        secure: values.secure,
        jmxBasePort,
        log,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      log(
        cluster.alreadyRunning
          ? `Apache Kafka ${cluster.kafkaVersion} cluster '${cluster.name}' was already running`
          : `Apache Kafka ${cluster.kafkaVersion} cluster '${cluster.name}' (${nodes} node${nodes === 1 ? '' : 's'}) is up after ${seconds} s`,
      );
      if (cluster.credentials !== undefined) {
        log(
          `secured: SASL/SCRAM-SHA-512, ACLs: user-service writes '${cluster.topic ?? ''}', gateway writes '${cluster.gatewayTopic ?? ''}', verifier reads both`,
        );
        const { admin, userService, gateway, verifier } = cluster.credentials;
        for (const principal of [admin, userService, gateway, verifier]) {
          log(
            `  KAFKA_SASL_MECHANISM=scram-sha-512 KAFKA_SASL_USERNAME=${principal.username} KAFKA_SASL_PASSWORD=${principal.password}`,
          );
        }
      }
      log(`stop it with: pnpm kafka stop --name ${cluster.name}`);
      console.log(cluster.bootstrap);
      return;
    }
    case 'stop': {
      const { values } = parseCommand(rest, { ...selectorOptions, all: { type: 'boolean' } });
      const names =
        values.all === true
          ? (await listClusters()).map((cluster) => cluster.name)
          : [selector(values).name];
      for (const name of names) {
        const { stopped, forced } = await stopCluster({ name });
        if (stopped.length === 0) log(`cluster '${name}' is not running`);
        else
          log(
            `stopped cluster '${name}' (nodes ${stopped.join(', ')}${forced.length > 0 ? `; SIGKILLed ${forced.join(', ')}` : ''})`,
          );
      }
      return;
    }
    case 'status': {
      const { values } = parseCommand(rest, { name: { type: 'string' } });
      const clusters =
        values.name === undefined
          ? await listClusters()
          : [await clusterStatus({ name: values.name })];
      if (clusters.length === 0)
        console.log('no local Kafka clusters (start one with: pnpm kafka start)');
      for (const cluster of clusters) printStatus(cluster);
      return;
    }
    case 'stop-node':
    case 'kill-node':
    case 'start-node': {
      const { values, positionals } = parseCommand(rest, selectorOptions, 'node id');
      const id = Number(positionals[0]);
      if (!Number.isInteger(id) || id < 1)
        throw new UsageError(`node id must be a positive integer, got ${positionals[0]}`);
      const target = selector(values);
      if (command === 'start-node') {
        const node = await startNode(id, target);
        log(
          `node ${id} of '${target.name}' is serving on 127.0.0.1:${node.brokerPort} (pid ${node.pid})`,
        );
      } else {
        const result =
          command === 'kill-node' ? await killNode(id, target) : await stopNode(id, target);
        log(
          result.pid === undefined
            ? `node ${id} of '${target.name}' was not running`
            : `node ${id} of '${target.name}' (pid ${result.pid}) ${result.killed ? 'killed' : 'stopped'}`,
        );
      }
      return;
    }
    case 'setup': {
      parseCommand(rest, {});
      const jars = await ensureJars({ log });
      log(`Apache Kafka ${jars.version} jars are in ${jars.libDir}`);
      return;
    }
    default:
      helpOrUnknown(command, USAGE);
  }
}

function selector(values: {
  name?: string | undefined;
  port?: string | undefined;
}): ClusterSelector & { name: string } {
  if (values.name !== undefined && values.port !== undefined)
    throw new UsageError('give --name or --port, not both');
  return { name: values.name ?? defaultClusterName(portOption(values.port, DEFAULT_BASE_PORT)) };
}

function printStatus(cluster: ClusterStatus): void {
  const running = cluster.nodes.filter((node) => node.pid !== undefined).length;
  const state = cluster.serving
    ? 'serving'
    : running === 0
      ? 'stopped'
      : `${running}/${cluster.nodeCount} nodes running, not all serving`;
  console.log(
    `${cluster.name}: Apache Kafka ${cluster.kafkaVersion}, ${cluster.nodeCount} node(s), ${state}, bootstrap ${cluster.bootstrap}`,
  );
  for (const node of cluster.nodes) {
    const pid = node.pid === undefined ? 'down' : `pid ${node.pid}`;
    const sees = node.pid === undefined ? '' : `, sees nodes [${node.listedNodes.join(',')}]`;
    console.log(
      `  node ${node.id}: ${pid}, broker ${node.brokerPort}, controller ${node.controllerPort}${sees}, log ${node.logFile}`,
    );
  }
}

runCommandLine(() => main(process.argv.slice(2)), {
  name: 'kafka-local',
  help: 'pnpm kafka help',
  toolErrorExit: (error) =>
    error instanceof KafkaLocalError
      ? error.code === 'UNKNOWN_NODE' || error.code === 'CLUSTER_NOT_FOUND'
        ? 2
        : 1
      : undefined,
});
