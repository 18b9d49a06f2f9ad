/**
 * Runs `pnpm demo` (its compiled entry point) as a child process with the environment a test
 * gives it, and collects its exit code and output. Building first is the caller's `beforeAll`
 * ({@link buildDemo}): a lone test run may not have built the services.
 */
import { execFile, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** How a demo run ended. */
export interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Builds the demo and everything it starts (`tsc -b demo`). */
export async function buildDemo(): Promise<void> {
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'demo'],
    { cwd: ROOT },
  );
}

/**
 * Runs the demo with `args` and `env` added to this process's environment. After `timeoutMs`
 * it is sent SIGINT, which lets it stop what it started before it exits.
 */
export function runDemo(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<DemoRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'demo', 'dist', 'main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
