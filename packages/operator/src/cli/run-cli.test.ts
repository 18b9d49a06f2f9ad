import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeRequest, waitSeconds } from './lib/revoke-request.js';
import { passes } from './commands/tail.js';
import type { CliIo } from './io.js';
import { runCli } from './run-cli.js';

interface Captured {
  readonly io: CliIo;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function capture(
  options: { env?: Record<string, string>; stdin?: string; tty?: boolean; ask?: string } = {},
): Captured {
  let out = '';
  let err = '';
  const stdin = Object.assign(Readable.from(options.stdin === undefined ? [] : [options.stdin]), {
    isTTY: options.tty ?? false,
  });
  return {
    io: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      stdin,
      env: options.env ?? {},
      ...(options.ask === undefined ? {} : { ask: () => Promise.resolve(options.ask ?? '') }),
    },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('runCli: the command line', () => {
  it('prints the help with every command and the exit codes (exit 0)', async () => {
    const run = capture();
    expect(await runCli(['--help'], run.io)).toBe(0);
    for (const name of ['revoke', 'inspect', 'tail', 'status', 'check'])
      expect(run.stdout()).toContain(`  ${name} `);
    expect(run.stdout()).toContain('3  the answer is no');
    const command = capture();
    expect(await runCli(['help', 'check'], command.io)).toBe(0);
    expect(command.stdout()).toContain('Usage: revocation-fabric check');
  });

  it('is a usage error (exit 2) without a command, with an unknown one, with an unknown option', async () => {
    const none = capture();
    expect(await runCli([], none.io)).toBe(2);
    expect(none.stderr()).toContain('which command?');
    const unknown = capture();
    expect(await runCli(['revok'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toMatch(/unknown command "revok": one of revoke, inspect/);
    const option = capture();
    expect(await runCli(['status', '--kind', 'session', '--brokers', 'a:1'], option.io)).toBe(2);
    expect(option.stderr()).toMatch(/--kind/);
    expect(option.stderr()).toContain('see revocation-fabric status --help');
    expect(option.stdout()).toBe('');
  });

  it('refuses a malformed token with one line, no stack (exit 2)', async () => {
    const run = capture();
    expect(await runCli(['inspect', 'not.a.jwt', '--brokers', '127.0.0.1:1'], run.io)).toBe(2);
    expect(run.stderr()).toMatch(/^revocation-fabric: not a JWT/);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  });

  it('refuses a brake without --yes when stdin is not a terminal (exit 2), before calling anyone', async () => {
    const env = {
      REVOCATION_FABRIC_URL: 'http://127.0.0.1:1',
      REVOCATION_FABRIC_ADMIN_TOKEN: 'a.b.c',
    };
    const run = capture({ env });
    expect(await runCli(['revoke', 'global'], run.io)).toBe(2);
    expect(run.stderr()).toContain('pass --yes');
  });

  it('tells an unreachable user-service apart (exit 1)', async () => {
    const run = capture({
      env: { REVOCATION_FABRIC_URL: 'http://127.0.0.1:1', REVOCATION_FABRIC_ADMIN_TOKEN: 'a.b.c' },
    });
    expect(await runCli(['revoke', 'session', 's-1'], run.io)).toBe(1);
    expect(run.stderr()).toMatch(
      /could not reach the user-service at http:\/\/127\.0\.0\.1:1\/admin\/sessions\/s-1/,
    );
  });
});

describe('revoke: requests and waiting', () => {
  it('maps each kind to its admin route', () => {
    expect(revokeRequest(['session', 's/1'], { endSessions: false })).toMatchObject({
      method: 'DELETE',
      path: '/admin/sessions/s%2F1',
    });
    expect(revokeRequest(['user', 'u-1'], { endSessions: false })).toMatchObject({
      method: 'POST',
      path: '/admin/users/u-1/revoke',
    });
    expect(revokeRequest(['token', 'a.b.c'], { endSessions: false })).toMatchObject({
      path: '/admin/tokens/revoke',
      json: { token: 'a.b.c' },
    });
    expect(revokeRequest(['key', 'k1'], { endSessions: false })).toMatchObject({
      path: '/admin/keys/k1/revoke',
    });
    expect(revokeRequest(['global'], { endSessions: true })).toMatchObject({
      path: '/admin/emergency-cutoff',
      json: { endSessions: true },
    });
    expect(() => revokeRequest(['session'], { endSessions: false })).toThrow(/one session id/);
    expect(() => revokeRequest(['global', 'x'], { endSessions: false })).toThrow(/takes no target/);
    expect(() => revokeRequest(['group', 'x'], { endSessions: false })).toThrow(
      /cannot revoke "group"/,
    );
  });

  it('waits 5 s by default, whole seconds up to 30 otherwise', () => {
    expect(waitSeconds(undefined)).toBeUndefined();
    expect(waitSeconds('')).toBe(5);
    expect(waitSeconds('12')).toBe(12);
    expect(() => waitSeconds('0')).toThrow(/--wait/);
    expect(() => waitSeconds('31')).toThrow(/at most 30 seconds/);
  });
});

/**
 * The admin API's contract, answered by a plain HTTP server: each test sets what it answers.
 * The real user-service is exercised in test/operator-cli.test.ts.
 */
describe('revoke against the admin API contract', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; body?: unknown; headers?: Record<string, string> } = {
    status: 204,
  };
  let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
        });
        response.writeHead(answer.status, {
          ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...answer.headers,
        });
        response.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = () => ({
    REVOCATION_FABRIC_URL: url,
    REVOCATION_FABRIC_ADMIN_TOKEN: 'admin.token.jwt',
  });
  const receipt = (complete: boolean) => ({
    complete,
    of: 2,
    applied: [{ groupId: 'g1', clientId: 'game-service-v1', host: '10.0.0.4', behind: 0 }],
    pending: complete
      ? []
      : [{ groupId: 'g0', clientId: 'game-service-v0', host: '10.0.0.5', behind: 1 }],
    gone: [],
    ms: complete ? 41 : 5000,
    state: complete ? 'applied' : 'pending',
  });

  it('sends the admin token and Prefer: wait=applied, and prints the receipt (exit 0)', async () => {
    seen = [];
    answer = {
      status: 200,
      body: {
        receipt: {
          ...receipt(true),
          applied: [
            ...receipt(true).applied,
            { groupId: 'g0', clientId: 'game-service-v0', host: '10.0.0.5', behind: 0 },
          ],
        },
      },
      headers: { 'preference-applied': 'wait=applied' },
    };
    const run = capture({ env: env() });
    expect(await runCli(['revoke', 'session', 's-1', '--wait'], run.io)).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/admin/sessions/s-1' });
    expect(seen[0]?.headers['authorization']).toBe('Bearer admin.token.jwt');
    expect(seen[0]?.headers['prefer']).toBe('wait=applied; timeout=5');
    expect(run.stdout()).toBe('revoked session s-1\napplied by 2 of 2 verifiers in 41 ms\n');
  });

  it('exits 3 when a verifier has not applied it in time, naming it', async () => {
    answer = {
      status: 200,
      body: { receipt: receipt(false) },
      headers: { 'preference-applied': 'wait=applied' },
    };
    const run = capture({ env: env() });
    expect(await runCli(['revoke', 'user', 'u-1', '--wait=5'], run.io)).toBe(3);
    expect(run.stdout()).toContain(
      'applied by 1 of 2 verifiers; not yet: game-service-v0 (10.0.0.5, 1 behind)',
    );
  });

  it('exits 3 when the service cannot tell who applied it', async () => {
    answer = {
      status: 200,
      body: {
        receipt: {
          ...receipt(false),
          state: 'unknown',
          of: 0,
          applied: [],
          pending: [],
          error: 'Kafka unreachable',
        },
      },
      headers: { 'preference-applied': 'wait=applied' },
    };
    const run = capture({ env: env() });
    expect(await runCli(['revoke', 'session', 's-9', '--wait'], run.io), run.stderr()).toBe(3);
    expect(run.stdout()).toContain(
      'receipt unknown: the user-service could not tell who applied it (Kafka unreachable)',
    );
  });

  it('prints one JSON document with --json', async () => {
    answer = { status: 200, body: { jti: 'j-1', expiresAt: 1_800_000_000_000 } };
    const run = capture({ env: env(), stdin: 'a.b.c\n' });
    expect(await runCli(['revoke', 'token', '-', '--json'], run.io)).toBe(0);
    expect(seen.at(-1)?.body).toBe('{"token":"a.b.c"}');
    expect(JSON.parse(run.stdout())).toEqual({
      revoked: { kind: 'token', target: 'j-1' },
      status: 200,
      answer: { jti: 'j-1', expiresAt: 1_800_000_000_000 },
    });
  });

  it('warns when the service does not wait, and still succeeds', async () => {
    answer = { status: 204 };
    const run = capture({ env: env() });
    expect(await runCli(['revoke', 'session', 's-2', '--wait'], run.io)).toBe(0);
    expect(run.stderr()).toContain('did not wait for receipts');
  });

  it('reports the error body of a refusal (exit 1)', async () => {
    answer = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such session' } } };
    const run = capture({ env: env() });
    expect(await runCli(['revoke', 'session', 's-3'], run.io)).toBe(1);
    expect(run.stderr()).toBe(
      'revocation-fabric: the user-service refused (404 NOT_FOUND): no such session\n',
    );
  });

  it('pulls a brake only when the typed word matches', async () => {
    seen = [];
    answer = { status: 200, body: { revokedKid: 'k1', activeKid: 'k2' } };
    const wrong = capture({ env: env(), tty: true, ask: 'k2' });
    expect(await runCli(['revoke', 'key', 'k1'], wrong.io)).toBe(1);
    expect(wrong.stderr()).toContain('not confirmed');
    expect(seen).toEqual([]);
    const right = capture({ env: env(), tty: true, ask: 'k1' });
    expect(await runCli(['revoke', 'key', 'k1'], right.io)).toBe(0);
    expect(right.stdout()).toBe('revoked signing key k1; now signing with k2\n');
  });
});

describe('tail: filters', () => {
  const record = {
    topic: 't',
    partition: 0,
    offset: 1,
    timestamp: 0,
    key: undefined,
    signed: false,
    event: {
      v: 1,
      id: 'e',
      kind: 'subject',
      sub: 'u-1',
      cutoff: 0,
      reason: 'ban',
      actor: 'a',
      iss: 'https://i',
      issuedAt: 0,
    },
  } as const;

  it('keeps records of the issuer, kind and subject asked for', () => {
    expect(passes(record, {})).toBe(true);
    expect(passes(record, { issuer: 'https://i', kind: 'subject', subject: 'u-1' })).toBe(true);
    expect(passes(record, { kind: 'session' })).toBe(false);
    expect(passes(record, { subject: 'u-2' })).toBe(false);
    expect(
      passes(
        { ...record, event: undefined, invalid: { code: 'X', message: 'y' } },
        { kind: 'subject' },
      ),
    ).toBe(false);
  });
});
