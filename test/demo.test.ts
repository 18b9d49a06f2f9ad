/**
 * `pnpm demo` itself, in its CI mode (`--short`: fresh ports, a topic of its own, nothing
 * reused): the user-service and two game-services as real processes, the scenario driven with
 * socket.io-client against the run's broker. It fails if any expectation of the scenario fails.
 */
import { execFile, spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const brokers = inject('kafkaBrokers');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runDemo(args: readonly string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'demo', 'dist', 'main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: brokers.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // SIGINT lets the demo stop the services it started before it exits.
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // The demo runs compiled services; `pnpm test` has built them already, a lone run may not.
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'demo'],
    { cwd: ROOT },
  );
}, 300_000);

describe('pnpm demo --short', () => {
  it('meets every expectation of the scripted scenario and reports the disconnect times', async () => {
    const run = await runDemo(['--short'], 150_000);
    const output = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    expect(run.stdout).toMatch(/^RESULT: (\d+)\/\1 expectations met$/m);
    expect(run.stdout).not.toMatch(/✘/);
    for (const instance of ['game-1', 'game-2']) {
      expect(run.stdout).toMatch(
        new RegExp(
          `alice's socket on ${instance} got revoked \\{"code":"TOKEN_REVOKED","kind":"session","reason":"logout"\\}`,
        ),
      );
      expect(run.stdout).toMatch(
        new RegExp(
          `bob's socket on ${instance} got revoked \\{"code":"TOKEN_REVOKED","kind":"subject","reason":"ban"\\}`,
        ),
      );
      expect(run.stdout).toMatch(new RegExp(`carol keeps playing on ${instance}`));
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+alice\\s+logout\\s+${instance}\\s+-?[\\d.]+ ms$`, 'm'),
      );
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+bob\\s+ban\\s+${instance}\\s+-?[\\d.]+ ms$`, 'm'),
      );
    }
    expect(run.stdout).toMatch(
      /the spare socket, never refreshed, got revoked \{"code":"TOKEN_EXPIRED"\}/,
    );
  }, 200_000);
});
