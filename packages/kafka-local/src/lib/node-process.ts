import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterSpec, NodeLayout } from './config.js';

/**
 * JVM system property naming the node directory. It makes a node's command line unique, so a
 * pid read from a pid file is only acted on if that process is really this node: pids get
 * reused, and we must never signal someone else's process.
 */
const NODE_MARKER_PROPERTY = 'revocation-fabric.kafka-node';

/** Signals the node controls accept: a graceful stop, or a crash. */
export type StopSignal = 'SIGTERM' | 'SIGKILL';

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
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: alive but not ours to signal, so certainly not a node we started.
    return false;
  }
  const procDir = `/proc/${pid}`;
  if (!existsSync('/proc/self')) return true; // no procfs (macOS): the pid check is all we have
  try {
    // A zombie has exited but not been reaped yet; it holds no ports and will not stop again.
    const stat = readFileSync(`${procDir}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
    const cmdline = readFileSync(`${procDir}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(`-D${NODE_MARKER_PROPERTY}=${node.dir}`);
  } catch {
    return false;
  }
}

/** True when the process is gone (or is no longer this node). */
function hasExited(pid: number, node: NodeLayout): boolean {
  return !isNodeProcess(pid, node);
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
  await mkdir(dirname(node.logFile), { recursive: true });
  await writeFile(
    node.logFile,
    `--- kafka-local: starting node ${node.id} of '${spec.name}' at ${new Date().toISOString()} ---\n`,
    { flag: 'a' },
  );
  const out = openSync(node.logFile, 'a');
  try {
    const child = spawn(
      'java',
      [
        `-Xms${spec.heap.initialMb}m`,
        `-Xmx${spec.heap.maxMb}m`,
        // Serial GC: no parallel GC threads competing for the 2 cores with two other nodes.
        '-XX:+UseSerialGC',
        '-Djava.awt.headless=true',
        `-D${NODE_MARKER_PROPERTY}=${node.dir}`,
        `-Dlog4j2.configurationFile=${node.log4j2Properties}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        node.serverProperties,
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new Error(`java for node ${node.id} has no pid`));
        else resolve(child.pid);
      });
    });
    child.unref();
    await writeFile(node.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(out);
  }
}

/**
 * Sends `signal` to the node and waits until it is gone. A SIGTERM that has not worked after
 * `timeoutMs` is followed by SIGKILL: a broker that lost its quorum can wait a long time for
 * a controlled shutdown that will never be granted.
 *
 * @returns whether SIGKILL was needed (always true when asked for SIGKILL).
 */
export async function stopNodeProcess(
  node: NodeLayout,
  pid: number,
  signal: StopSignal,
  timeoutMs: number,
): Promise<{ killed: boolean }> {
  const deadline = Date.now() + timeoutMs;
  signalProcess(pid, signal);
  while (!hasExited(pid, node)) {
    if (signal === 'SIGTERM' && Date.now() > deadline) {
      signalProcess(pid, 'SIGKILL');
      await waitUntilExited(pid, node);
      await rm(node.pidFile, { force: true });
      return { killed: true };
    }
    await sleep(100);
  }
  await rm(node.pidFile, { force: true });
  return { killed: signal === 'SIGKILL' };
}

async function waitUntilExited(pid: number, node: NodeLayout): Promise<void> {
  while (!hasExited(pid, node)) await sleep(50);
}

function signalProcess(pid: number, signal: StopSignal): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    // Already gone between the check and the signal: that is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether something accepts TCP connections on `host:port` (within `timeoutMs`). */
export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The last `lines` lines of a node's log, for error messages. */
export async function logTail(node: NodeLayout, lines = 30): Promise<string> {
  try {
    const text = await readFile(node.logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
