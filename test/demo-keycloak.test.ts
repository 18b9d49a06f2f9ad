/**
 * `pnpm demo --short --keycloak`: the scenario, then the Keycloak act against the run's real
 * Keycloak (`inject('keycloak')`) and broker — a Keycloak user's logout (back-channel logout)
 * and an admin password reset (SSF push) cut the user's sockets through the revocation gateway,
 * and HTTP answers 401. It fails if any expectation of the demo fails; timings are not judged.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildDemo, runDemo as runDemoWith } from './support/run-demo.js';

const brokers = inject('kafkaBrokers');
const keycloak = inject('keycloak');

function runDemo(args: readonly string[], timeoutMs: number) {
  return runDemoWith(
    args,
    {
      KAFKA_BROKERS: brokers.join(','),
      KEYCLOAK_URL: keycloak.url,
      KEYCLOAK_ADMIN_USERNAME: keycloak.adminUsername,
      KEYCLOAK_ADMIN_PASSWORD: keycloak.adminPassword,
    },
    timeoutMs,
  );
}

beforeAll(async () => {
  // The demo runs compiled services (the gateway included); a lone run may not have built them.
  await buildDemo();
}, 300_000);

describe('pnpm demo --short --keycloak', () => {
  it('cuts a Keycloak user on logout and on password reset, and reports both times', async () => {
    const run = await runDemo(['--short', '--keycloak'], 200_000);
    const output = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
    expect(run.code, output).toBe(0);
    expect(run.stdout, output).toMatch(/^RESULT: (\d+)\/\1 expectations met$/m);
    expect(run.stdout, output).not.toMatch(/✘/);
    expect(run.stdout).toMatch(new RegExp(`^Keycloak\\s+${keycloak.version} at `, 'm'));
    for (const instance of ['game-1', 'game-2']) {
      expect(run.stdout).toMatch(new RegExp(`dana plays on ${instance}: joined`));
      expect(run.stdout).toMatch(
        new RegExp(
          `dana's socket on ${instance} got revoked \\{"code":"TOKEN_REVOKED","kind":"session","reason":"logout"\\} and dropped \\(io server disconnect\\) -?[\\d.]+ ms after the Keycloak logout call`,
        ),
      );
      expect(run.stdout).toMatch(
        new RegExp(
          `dana's socket on ${instance} got revoked \\{"code":"TOKEN_REVOKED","kind":"subject","reason":"password-change"\\} and dropped \\(io server disconnect\\) -?[\\d.]+ ms after the Keycloak password-reset call`,
        ),
      );
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+dana\\s+keycloak logout\\s+${instance}\\s+-?[\\d.]+ ms$`, 'm'),
      );
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+dana\\s+keycloak password reset\\s+${instance}\\s+-?[\\d.]+ ms$`, 'm'),
      );
    }
    // After each cut the token is refused over HTTP too: 4 × 401 in the act (2 per cut).
    const act = run.stdout.slice(run.stdout.indexOf('dana logs in with Keycloak'));
    expect(act.match(/GET game-\d\/me → 401 TOKEN_REVOKED \(expected 401\)/g)).toHaveLength(4);
  }, 260_000);
});
