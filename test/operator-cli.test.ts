/**
 * The `revocation-fabric` CLI against the real thing: a user-service in this process (its admin
 * API, its tokens, its outbox relay publishing to a topic of its own on the run's broker) and
 * two verifier processes reading that topic, each its own consumer group committing receipts.
 * The CLI runs in-process through `runCli` with captured streams, and once as the built bin in
 * a child process (shebang, ESM entry, exit code).
 *
 * With OPERATOR_CLI_TRANSCRIPT=<file>, every in-process run is appended to that file as a
 * terminal session: the README's example sessions come from there.
 */
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectOperator, readRevocations } from '@revocation-fabric/operator';
import type { LoggedRevocation, OperatorKafka } from '@revocation-fabric/operator';
import { waitFor } from '@revocation-fabric/testkit';
import { decodeJwt } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FleetCommand, FleetReport } from './support/fleet-verifiers.js';
import {
  AUDIENCE,
  ADMIN_USERNAME,
  login,
  startCli,
  startCliStack,
} from './support/operator-cli.js';
import type { CliRun, CliStack, Login } from './support/operator-cli.js';
import { WorkerProcess } from './support/worker-process.js';

const brokers = inject('kafkaBrokers');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OPERATOR = join(ROOT, 'packages', 'operator');
const READY_TIMEOUT_MS = 40_000;
const LANDED_TIMEOUT_MS = 30_000;

type VerifierProcess = WorkerProcess<FleetCommand, FleetReport>;

describe('the revocation-fabric CLI on a real user-service, broker and verifiers', () => {
  let stack: CliStack;
  let operator: OperatorKafka;
  let admin: Login;
  let revoked: Login;
  let live: Login;
  let bob: Login;
  let bobAgain: Login;
  let processes: VerifierProcess[] = [];
  const clientIds = ['operator-cli-verifier-a-v0', 'operator-cli-verifier-b-v0'];
  let env: Record<string, string>;

  /** Runs the CLI in-process to its end (recorded in the transcript, if asked for). */
  const cli = async (...argv: string[]): Promise<CliRun> => {
    const run = await startCli(argv, env).done;
    transcribe(argv, run);
    return run;
  };

  const transcribe = (argv: readonly string[], run: CliRun) => {
    const transcript = process.env['OPERATOR_CLI_TRANSCRIPT'];
    if (transcript === undefined) return;
    appendFileSync(
      transcript,
      `$ revocation-fabric ${argv.join(' ')}\n${run.stdout}${run.stderr}[exit ${run.code}]\n\n`,
    );
  };

  /** The topic's records, once `found` finds the one awaited. */
  const landed = (found: (record: LoggedRevocation) => boolean): Promise<LoggedRevocation> =>
    waitFor(async () => (await readRevocations(operator, { topic: stack.topic })).find(found), {
      timeoutMs: LANDED_TIMEOUT_MS,
      description: 'the event in the topic',
    });

  beforeAll(async () => {
    // The bin is the built one: build the package (and what it references) first.
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', OPERATOR],
      {
        cwd: ROOT,
      },
    );
    stack = await startCliStack(brokers);
    env = {
      REVOCATION_FABRIC_BROKERS: brokers.join(','),
      REVOCATION_FABRIC_TOPIC: stack.topic,
      REVOCATION_FABRIC_URL: stack.url,
    };
    operator = connectOperator({ brokers: [...brokers], clientId: 'operator-cli-test' });
    admin = await login(stack.url, ADMIN_USERNAME);
    env['REVOCATION_FABRIC_ADMIN_TOKEN'] = admin.accessToken;
    revoked = await login(stack.url, 'alice', true);
    live = await login(stack.url, 'alice');
    bob = await login(stack.url, 'bob', true);
    bobAgain = await login(stack.url, 'bob');
    // The relay creates the topic as it starts; the verifiers read it from then on.
    await waitFor(() => operator.partitionRanges(stack.topic), {
      timeoutMs: READY_TIMEOUT_MS,
      description: 'the topic',
    });
    const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as {
      keys: JWK[];
    };
    const jwk = jwks.keys[0];
    if (jwk === undefined) throw new Error('the user-service publishes no key');
    processes = ['a', 'b'].map((name) =>
      WorkerProcess.fork<FleetCommand, FleetReport>(
        new URL('./support/fleet-verifiers.ts', import.meta.url),
        `operator-cli-${name}`,
      ),
    );
    processes.forEach((worker, index) =>
      worker.send({
        type: 'start',
        setup: {
          brokers,
          topic: stack.topic,
          namePrefix: clientIds[index]?.replace(/-v0$/, '') ?? '',
          verifiers: 1,
          issuer: stack.url,
          audience: AUDIENCE,
          jwk,
        },
      }),
    );
    await Promise.all(processes.map((worker) => worker.next('ready', READY_TIMEOUT_MS)));
  });

  afterAll(async () => {
    await Promise.all(processes.map((worker) => worker.close()));
    await operator?.close();
    await stack?.stop();
  });

  it('revokes a session through the admin API: the event lands in the topic with the admin as actor', async () => {
    const run = await cli('revoke', 'session', revoked.sessionId);
    expect(run).toEqual({ code: 0, stdout: `revoked session ${revoked.sessionId}\n`, stderr: '' });
    const record = await landed(
      (r) => r.event?.kind === 'session' && r.event.sid === revoked.sessionId,
    );
    expect(record.event).toMatchObject({
      reason: 'admin',
      actor: decodeJwt(admin.accessToken).sub,
    });
  });

  it('inspects a revoked token: exit 3, the verdict names the rule, its reason, actor, event and position', async () => {
    const record = await landed(
      (r) => r.event?.kind === 'session' && r.event.sid === revoked.sessionId,
    );
    const event = record.event;
    if (event === undefined) throw new Error('no event');
    const run = await cli('inspect', revoked.accessToken);
    expect(run.code).toBe(3);
    const [verdict] = run.stdout.split('\n');
    expect(verdict).toBe(
      `REFUSED — session ${revoked.sessionId} revoked (reason admin) by ${event.actor} at ${new Date(event.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z')} (event ${event.id}, partition ${record.partition}, offset ${record.offset})`,
    );
    expect(run.stdout).toMatch(
      / {2}signature {3}valid \(kid [\w-]+, ES256, keys from http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json\)/,
    );
    expect(run.stdout).toMatch(/rules that reject it: 1 \(/);
  });

  it('inspects a live token of the same user: exit 0, no rule rejects it, its signature is valid', async () => {
    const run = await cli('inspect', live.accessToken, '--progress');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/read \d+ of \d+ records…\n$/);
    expect(run.stdout.split('\n')[0]).toMatch(
      new RegExp(`^not revoked by any rule in ${stack.topic} \\(\\d+ records? read\\)$`),
    );
    expect(run.stdout).toContain('signature   valid');
  });

  it('tells with status --json the verifier processes, the rules by kind, and who applied an event', async () => {
    const record = await landed(
      (r) => r.event?.kind === 'session' && r.event.sid === revoked.sessionId,
    );
    // Receipts are committed at most once per interval: wait for both.
    const status = await waitFor(
      async () => {
        const run = await startCli(
          ['status', '--json', '--event', `${record.partition}:${record.offset}`],
          env,
        ).done;
        const report = JSON.parse(run.stdout) as {
          verifiers: { clientId: string }[];
          rules: { total: number; byKind: Record<string, number> };
          topic: { partitions: number };
          event: { receipt: { complete: boolean; of: number } };
        };
        return run.code === 0 && report.event.receipt.complete ? { run, report } : undefined;
      },
      { timeoutMs: LANDED_TIMEOUT_MS, description: 'a complete receipt' },
    );
    transcribe(['status', '--json', '--event', `${record.partition}:${record.offset}`], status.run);
    // The user-service reads the topic too (it watches for rules on its own keys): a verifier.
    const live = status.report.verifiers.map((verifier) => verifier.clientId);
    expect(live).toEqual(expect.arrayContaining(clientIds));
    expect(status.report.rules.byKind['session']).toBeGreaterThanOrEqual(1);
    expect(status.report.topic.partitions).toBe(3);
    expect(status.report.event.receipt.of).toBe(live.length);
    const human = await cli('status', '--event', `${record.partition}:${record.offset}`);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `event ${record.partition}:${record.offset}: applied by ${live.length} of ${live.length} verifiers`,
    );
    expect(human.stdout).toContain(`${live.length} live verifiers, 0 lagging`);
    expect(human.stdout).toMatch(/^session +1$/m);
  });

  it('prints with tail --json an event published after it started, and ends cleanly on Ctrl-C', async () => {
    const tail = startCli(['tail', '--json'], env);
    const human = startCli(['tail', '--kind', 'subject'], env);
    await waitFor(
      () => tail.stderr().includes('following') && human.stderr().includes('following'),
      {
        timeoutMs: LANDED_TIMEOUT_MS,
        description: 'tail following',
      },
    );
    const sub = decodeJwt(live.accessToken).sub;
    expect((await cli('revoke', 'user', sub ?? '')).code).toBe(0);
    await waitFor(() => tail.stdout().includes(`"sub":"${sub}"`), {
      timeoutMs: LANDED_TIMEOUT_MS,
      description: 'the event in tail',
    });
    await waitFor(() => human.stdout().includes(`subject  ${sub}`), {
      timeoutMs: LANDED_TIMEOUT_MS,
      description: 'the event in the human tail',
    });
    tail.interrupt();
    human.interrupt();
    const run = await tail.done;
    transcribe(['tail', '--json'], run);
    const humanRun = await human.done;
    transcribe(['tail', '--kind', 'subject'], humanRun);
    expect(humanRun.code).toBe(0);
    expect(humanRun.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: { kind: string; sub?: string } });
    expect(lines.some((line) => line.event?.kind === 'subject' && line.event.sub === sub)).toBe(
      true,
    );
    // The session revoked before tail started is not repeated.
    expect(lines.some((line) => line.event?.kind === 'session')).toBe(false);
  });

  it('checks the local broker: no authorizer is a warning, retention too short for the lifetime asked is a problem (exit 3)', async () => {
    const run = await cli('check');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'warn     acl: no authorizer: anyone who reaches the brokers may write the topic',
    );
    expect(run.stdout).toMatch(/ok {7}retention: retention\.ms \d+/);
    const strict = await cli('check', '--max-token-lifetime', '2h');
    expect(strict.code).toBe(3);
    expect(strict.stdout).toMatch(
      /PROBLEM {2}retention: retention\.ms \d+ .* is below the least 7210000 ms/,
    );
  });

  it('waits with revoke --wait until every live verifier applied it: "applied by n of n"', async () => {
    const run = await cli('revoke', 'session', bob.sessionId, '--wait=20');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^revoked session ${bob.sessionId}\napplied by (\\d+) of \\1 verifiers in \\d+ ms\n$`,
      ),
    );
  });

  it('exits 3 from revoke --wait when a frozen verifier has not applied it in time, naming it', async () => {
    const frozen = processes[1];
    if (frozen === undefined) throw new Error('no second verifier process');
    frozen.pause();
    try {
      const run = await cli('revoke', 'session', bobAgain.sessionId, '--wait=2');
      expect(run.code).toBe(3);
      expect(run.stdout).toMatch(
        new RegExp(
          `applied by \\d+ of \\d+ verifiers; not yet: ${clientIds[1]} \\(127\\.0\\.0\\.1, 1 behind\\)`,
        ),
      );
    } finally {
      frozen.resume();
    }
  });

  it('runs as the installed bin: a child process through its shebang, exit code 3 for a refused token', async () => {
    const bin = join(
      OPERATOR,
      (
        JSON.parse(readFileSync(join(OPERATOR, 'package.json'), 'utf8')) as {
          bin: Record<string, string>;
        }
      ).bin['revocation-fabric'] ?? '',
    );
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // npm and pnpm make a bin executable when they install it.
    chmodSync(bin, 0o755);
    const child = spawn(bin, ['inspect', '-', '--json'], {
      env: { PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(revoked.accessToken);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({
      verdict: { refused: true, reason: 'revoked' },
      signature: { status: 'valid' },
    });
  });
});
