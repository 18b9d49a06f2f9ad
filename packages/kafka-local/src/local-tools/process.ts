/**
 * A local server as a detached process of its own, identified by pid: how kafka-local runs its
 * broker JVMs and keycloak-local runs Keycloak. Pids get reused, so a pid read from a file is
 * only acted on once its command line says it is really ours.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Signals a stop sends: a graceful stop, or a crash. */
export type StopSignal = 'SIGTERM' | 'SIGKILL';

/** How {@link spawnDetached} starts a server. */
export interface DetachedLaunch {
  readonly command: string;
  readonly args: readonly string[];
  /** Appended to: a start banner, then the process's stdout and stderr. */
  readonly logFile: string;
  /** What starts, for the banner line, e.g. `kafka-local: starting node 1 of 'local-19092'`. */
  readonly banner: string;
  readonly cwd?: string | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
}

/**
 * Starts `command` detached, as the leader of a new process group, output appended to the log
 * file, so it outlives the CLI or test worker that started it.
 *
 * @returns its pid, which is also the process group id.
 * @example
 * ```ts
 * const pid = await spawnDetached({ command: 'java', args, logFile, banner: 'kafka-local: starting node 1' });
 * ```
 */
export async function spawnDetached(launch: DetachedLaunch): Promise<number> {
  await mkdir(dirname(launch.logFile), { recursive: true });
  await writeFile(launch.logFile, `--- ${launch.banner} at ${new Date().toISOString()} ---\n`, {
    flag: 'a',
  });
  const out = openSync(launch.logFile, 'a');
  try {
    const child = spawn(launch.command, launch.args, {
      cwd: launch.cwd,
      env: launch.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new Error(`${launch.command} started without a pid`));
        else resolve(child.pid);
      });
    });
    child.unref();
    return pid;
  } finally {
    closeSync(out);
  }
}

/** Whether procfs can be read (Linux); without it (macOS) a live pid is all we can check. */
export function hasProcfs(): boolean {
  return existsSync('/proc/self');
}

/** Whether `pid` has exited but not been reaped yet: it holds no ports and will not stop again. */
export function isZombie(pid: number): boolean {
  return isDeadState(procStat(pid)[0]);
}

/** The fields of `/proc/<pid>/stat` after the command: state, ppid, pgrp, … */
export function procStat(pid: number | string): readonly string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Whether a `/proc/<pid>/stat` state is a process that has exited (zombie or dead). */
export function isDeadState(state: string | undefined): boolean {
  return state === 'Z' || state === 'X';
}

/**
 * Whether `pid` is alive, not a zombie, and its command line passes `ours`: a reused pid must
 * never lead to signalling someone else's process. Without procfs, whether it is alive.
 */
export function isOurProcess(pid: number, ours: (argv: readonly string[]) => boolean): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    // ESRCH: gone. EPERM: alive but not ours to signal, so certainly not one we started.
    return false;
  }
  if (!hasProcfs()) return true;
  try {
    if (isZombie(pid)) return false;
    return ours(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'));
  } catch {
    return false;
  }
}

/** What {@link stopProcess} stops. */
export interface StopTarget {
  /** A pid, or a process group as its negative id (as `process.kill` takes them). */
  readonly pid: number;
  /** Whether everything the stop is meant to end is gone. */
  readonly exited: () => boolean;
}

/**
 * Sends `signal` and waits until the target is gone. A SIGTERM that has not worked after
 * `timeoutMs` is followed by SIGKILL: a server can wait a long time for a clean shutdown that
 * will never come (a broker that lost its quorum).
 *
 * @returns whether SIGKILL was needed (always true when asked for SIGKILL).
 */
export async function stopProcess(
  target: StopTarget,
  signal: StopSignal,
  timeoutMs: number,
): Promise<{ killed: boolean }> {
  const deadline = Date.now() + timeoutMs;
  sendSignal(target.pid, signal);
  while (!target.exited()) {
    if (signal === 'SIGTERM' && Date.now() > deadline) {
      sendSignal(target.pid, 'SIGKILL');
      while (!target.exited()) await sleep(50);
      return { killed: true };
    }
    await sleep(100);
  }
  return { killed: signal === 'SIGKILL' };
}

function sendSignal(pid: number, signal: StopSignal): void {
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

/** The last `lines` lines of a log file, for error messages; empty when there is none. */
export async function logTail(logFile: string, lines: number): Promise<string> {
  try {
    const text = await readFile(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
