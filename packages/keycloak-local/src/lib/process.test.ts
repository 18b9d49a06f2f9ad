import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { instanceLayout } from './instance-files.js';
import { isInstanceLeader, liveGroupMembers, portAnswers, stopGroup } from './process.js';

/** A detached shell with a child of its own: a process group like kc.sh and its JVM. */
async function startGroup(script: string): Promise<number> {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  const pid = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve(child.pid ?? -1));
  });
  child.unref();
  // The shell runs its script (trap, background child) a moment after exec: wait for both.
  const deadline = Date.now() + 5_000;
  while (liveGroupMembers(pid) < 2 && Date.now() < deadline) await sleep(20);
  return pid;
}

describe('stopGroup', () => {
  it('ends every process of the group with SIGTERM', async () => {
    const pgid = await startGroup('sleep 60 & sleep 60; wait');
    expect(liveGroupMembers(pgid)).toBeGreaterThanOrEqual(2);
    const { killed } = await stopGroup(pgid, 10_000);
    expect(killed).toBe(false);
    expect(liveGroupMembers(pgid)).toBe(0);
  });

  it('falls back to SIGKILL for a group that ignores SIGTERM', async () => {
    const pgid = await startGroup("trap '' TERM; sleep 60 & sleep 60; wait");
    const { killed } = await stopGroup(pgid, 300);
    expect(killed).toBe(true);
    expect(liveGroupMembers(pgid)).toBe(0);
  });
});

describe('isInstanceLeader', () => {
  it('does not take a live process of another program for the instance', async () => {
    const pgid = await startGroup('sleep 60 & sleep 60; wait');
    try {
      expect(isInstanceLeader(pgid, instanceLayout('someone-else'))).toBe(false);
    } finally {
      await stopGroup(pgid, 5_000);
    }
  });

  it('reads a pid that no longer exists as not running', () => {
    expect(isInstanceLeader(2 ** 22 + 17, instanceLayout('gone'))).toBe(false);
  });
});

describe('portAnswers', () => {
  it('is false for a port nobody listens on', async () => {
    expect(await portAnswers(1, 300)).toBe(false);
  });
});
