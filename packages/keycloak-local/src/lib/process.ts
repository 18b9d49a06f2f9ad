import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  hasProcfs,
  isDeadState,
  isOurProcess,
  logTail as logFileTail,
  portAnswers as hostPortAnswers,
  procStat,
  spawnDetached,
  stopProcess,
} from '@revocation-fabric/kafka-local/local-tools';
import { instanceMarker, type InstanceLayout } from './instance-files.js';

/**
 * Starts `bin/kc.sh` of the instance's home detached, as the leader of a new process group (the
 * script and the JVM it starts share it), output appended to the instance's log file.
 *
 * @returns the pid of kc.sh, which is also the process group id.
 */
export function spawnKeycloak(
  layout: InstanceLayout,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<number> {
  return spawnDetached({
    command: kcScript(layout),
    args,
    cwd: layout.home,
    env,
    logFile: layout.logFile,
    banner: `keycloak-local: starting '${layout.name}'`,
  });
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
  return isOurProcess(
    pid,
    (argv) => argv.includes(kcScript(layout)) || argv.includes(`-D${instanceMarker(layout)}`),
  );
}

/**
 * Live (non-zombie) members of process group `pgid`. Without procfs, whether the group
 * answers a signal at all (0 or 1).
 */
export function liveGroupMembers(pgid: number): number {
  if (!hasProcfs()) {
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
      const [state, , pgrp] = procStat(entry);
      if (Number(pgrp) === pgid && !isDeadState(state)) live += 1;
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
export function stopGroup(pgid: number, timeoutMs: number): Promise<{ killed: boolean }> {
  return stopProcess(
    { pid: -pgid, exited: () => liveGroupMembers(pgid) === 0 },
    'SIGTERM',
    timeoutMs,
  );
}

/** Whether something accepts TCP connections on `127.0.0.1:port` (within `timeoutMs`). */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return hostPortAnswers('127.0.0.1', port, timeoutMs);
}

/** The last `lines` lines of the instance's log, for error messages. */
export function logTail(layout: InstanceLayout, lines = 25): Promise<string> {
  return logFileTail(layout.logFile, lines);
}
