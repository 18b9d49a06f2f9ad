/**
 * One service of the stack as a child process (`node dist/main.js`): its output goes to a log
 * file, it is ready when `GET /readyz` answers 200, and it is stopped with SIGTERM (SIGKILL if
 * it does not exit within the grace period).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** What to run. */
export interface ServiceSpec {
  /** Short name for messages: `user-service`, `game-1`. */
  readonly name: string;
  /** The compiled entry point. */
  readonly entry: string;
  /** The whole environment of the child: nothing leaks in from the caller's. */
  readonly env: Readonly<Record<string, string>>;
  /** Base URL the service will answer on. */
  readonly url: string;
  /** Where its stdout and stderr go. */
  readonly logFile: string;
}

/** A started child service. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly logFile: string;
  readonly pid: number | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

async function logTail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Whether `GET <url>/readyz` answers 200 within a second. */
export async function answersReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return once(child, 'exit').then(() => undefined);
}

/**
 * Starts a service and resolves once it is ready.
 *
 * @throws Error with the tail of the service's log when it exits or is not ready in time.
 */
export async function startService(spec: ServiceSpec, timeoutMs = 90_000): Promise<ServiceProcess> {
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  await once(log, 'open');
  const child = spawn(process.execPath, [spec.entry], {
    env: { ...spec.env },
    stdio: ['ignore', log, log],
  });
  const stop = async (graceMs = 10_000): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited(child);
      clearTimeout(timer);
    }
    log.end();
  };
  const service: ServiceProcess = {
    name: spec.name,
    url: spec.url,
    logFile: spec.logFile,
    pid: child.pid,
    stop,
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `${spec.name} exited (${child.exitCode ?? child.signalCode}) before it was ready; ${spec.logFile}:\n${await logTail(spec.logFile)}`,
      );
    }
    if (await answersReady(spec.url)) return service;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(
    `${spec.name} was not ready at ${spec.url}/readyz within ${timeoutMs} ms; ${spec.logFile}:\n${await logTail(spec.logFile)}`,
  );
}
