/**
 * `pnpm demo` itself, in its CI mode (`--short`: fresh ports, a topic of its own, nothing
 * reused): the user-service and two game-services as real processes, the scenario driven with
 * socket.io-client against the run's broker. It fails if any expectation of the scenario fails.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemo, runDemo as runDemoWith } from './support/run-demo.js';

const brokers = inject('kafkaBrokers');

function runDemo(args: readonly string[], timeoutMs: number) {
  return runDemoWith(args, { KAFKA_BROKERS: brokers.join(',') }, timeoutMs);
}

beforeAll(async () => {
  // The demo runs compiled services; `pnpm test` has built them already, a lone run may not.
  await buildDemo();
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
