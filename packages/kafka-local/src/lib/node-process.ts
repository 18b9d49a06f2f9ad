import { readFile, rm, writeFile } from 'node:fs/promises';
import {
  isOurProcess,
  logTail as logFileTail,
  spawnDetached,
  stopProcess,
  type StopSignal,
} from '../local-tools/process.js';
import { nodeJmxPort } from './config.js';
import type { ClusterSpec, NodeLayout } from './config.js';

/**
 * JVM system property naming the node directory. It makes a node's command line unique, so a
 * pid read from a pid file is only acted on if that process is really this node: pids get
 * reused, and we must never signal someone else's process.
 */
const NODE_MARKER_PROPERTY = 'revocation-fabric.kafka-node';

/**
 * The pid of the node's JVM if it is running, else `undefined`. Stale pid files (the process
 * died, or the pid now belongs to another program) read as not running.
 */
export async function runningPid(node: NodeLayout): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(node.pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isNodeProcess(pid, node) ? pid : undefined;
}

/** Whether `pid` is alive and is this node's JVM (not a reused pid or a zombie). */
export function isNodeProcess(pid: number, node: NodeLayout): boolean {
  return isOurProcess(pid, (argv) => argv.includes(`-D${NODE_MARKER_PROPERTY}=${node.dir}`));
}

/**
 * Starts the node's JVM detached (its own process group, output appended to its log file), so
 * it outlives the CLI or test worker that started it, and records its pid.
 */
export async function spawnNode(
  spec: ClusterSpec,
  node: NodeLayout,
  classpath: string,
): Promise<number> {
  const pid = await spawnDetached({
    command: 'java',
    args: [
      `-Xms${spec.heap.initialMb}m`,
      `-Xmx${spec.heap.maxMb}m`,
      // Serial GC: no parallel GC threads competing for the 2 cores with two other nodes.
      '-XX:+UseSerialGC',
      '-Djava.awt.headless=true',
      `-D${NODE_MARKER_PROPERTY}=${node.dir}`,
      `-Dlog4j2.configurationFile=${node.log4j2Properties}`,
      ...jmxProperties(nodeJmxPort(spec, node.id), spec.host),
      '-cp',
      classpath,
      'kafka.Kafka',
      node.serverProperties,
    ],
    logFile: node.logFile,
    banner: `kafka-local: starting node ${node.id} of '${spec.name}'`,
  });
  await writeFile(node.pidFile, `${pid}\n`);
  return pid;
}

/**
 * The JVM's remote JMX agent, for tools that read the broker's metrics (Kafka's JmxTool). Off
 * unless asked for. Unauthenticated and without TLS, so it binds the loopback interface only
 * (`jmxremote.host`), like the brokers' listeners; the RMI registry and the RMI server share one
 * port, so a client needs no second, random port.
 */
function jmxProperties(port: number | undefined, host: string): string[] {
  if (port === undefined) return [];
  return [
    `-Dcom.sun.management.jmxremote.port=${port}`,
    `-Dcom.sun.management.jmxremote.rmi.port=${port}`,
    `-Dcom.sun.management.jmxremote.host=${host}`,
    `-Djava.rmi.server.hostname=${host}`,
    '-Dcom.sun.management.jmxremote.authenticate=false',
    '-Dcom.sun.management.jmxremote.ssl=false',
  ];
}

/**
 * Sends `signal` to the node and waits until it is gone; a SIGTERM that has not worked after
 * `timeoutMs` is followed by SIGKILL (see {@link stopProcess}).
 *
 * @returns whether SIGKILL was needed (always true when asked for SIGKILL).
 */
export async function stopNodeProcess(
  node: NodeLayout,
  pid: number,
  signal: StopSignal,
  timeoutMs: number,
): Promise<{ killed: boolean }> {
  const stopped = await stopProcess(
    { pid, exited: () => !isNodeProcess(pid, node) },
    signal,
    timeoutMs,
  );
  await rm(node.pidFile, { force: true });
  return stopped;
}

/** The last `lines` lines of a node's log, for error messages. */
export function logTail(node: NodeLayout, lines = 30): Promise<string> {
  return logFileTail(node.logFile, lines);
}
