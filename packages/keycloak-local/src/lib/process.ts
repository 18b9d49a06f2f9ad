import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { instanceMarker, type InstanceLayout } from './instance-files.js';

/**
 * Starts `bin/kc.sh` of the instance's home detached, as the leader of a new process group (the
 * script and the JVM it starts share it), output appended to the instance's log file.
 *
 * @returns the pid of kc.sh, which is also the process group id.
 */
export async function spawnKeycloak(
  layout: InstanceLayout,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  await writeFile(
    layout.logFile,
    `--- keycloak-local: starting '${layout.name}' at ${new Date().toISOString()} ---\n`,
    { flag: 'a' },
  );
  const out = openSync(layout.logFile, 'a');
  try {
    const child = spawn(kcScript(layout), args, {
      cwd: layout.home,
      env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        if (child.pid === undefined) reject(new Error(`kc.sh of '${layout.name}' has no pid`));
        else resolve(child.pid);
      });
    });
    child.unref();
    return pid;
  } finally {
    closeSync(out);
  }
}

function kcScript(layout: InstanceLayout): string {
  return join(layout.home, 'bin', 'kc.sh');
}

/**
 * Whether `pid` is alive and is this instance's kc.sh: pids get reused, and a pid read from a
 * file must never lead to signalling someone else's process. The script's own path (inside the
 * instance's home) is on its command line; after a first start, kc.sh `exec`s the JVM in the
 * same pid, whose command line carries the instance marker property instead.
 */
export function isInstanceLeader(pid: number, layout: InstanceLayout): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync('/proc/self')) return true; // no procfs (macOS): the pid check is all we have
  try {
    if (isZombie(pid)) return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes(kcScript(layout)) || cmdline.includes(`-D${instanceMarker(layout)}`);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/**
 * Live (non-zombie) members of process group `pgid`. Without procfs, whether the group
 * answers a signal at all (0 or 1).
 */
export function liveGroupMembers(pgid: number): number {
  if (!existsSync('/proc/self')) {
    try {
      process.kill(-pgid, 0);
      return 1;
    } catch {
      return 0;
    }
  }
  let live = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the command: state, ppid, pgrp.
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') live += 1;
    } catch {
      // The process ended while we looked.
    }
  }
  return live;
}

/**
 * Stops the whole process group: SIGTERM (kc.sh forwards it, the JVM shuts down cleanly), then
 * SIGKILL to every member still alive after `timeoutMs`. Signalling the group, not kc.sh alone,
 * means a kc.sh that died first cannot leave its JVM running.
 *
 * @returns whether SIGKILL was needed.
 */
export async function stopGroup(pgid: number, timeoutMs: number): Promise<{ killed: boolean }> {
  const deadline = Date.now() + timeoutMs;
  signalGroup(pgid, 'SIGTERM');
  while (liveGroupMembers(pgid) > 0) {
    if (Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      while (liveGroupMembers(pgid) > 0) await sleep(50);
      return { killed: true };
    }
    await sleep(100);
  }
  return { killed: false };
}

function signalGroup(pgid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // The group is already gone: that is what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Whether something accepts TCP connections on `127.0.0.1:port` (within `timeoutMs`). */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answered: boolean): void => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The last `lines` lines of the instance's log, for error messages. */
export async function logTail(layout: InstanceLayout, lines = 25): Promise<string> {
  try {
    const text = await readFile(layout.logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
