/**
 * What test/operator-cli.test.ts runs the CLI against and with: a real user-service in this
 * process (SQLite, the run's broker, a topic of its own, a bootstrap admin), its admin's token
 * and a user's sessions, and an in-process run of the CLI with captured streams.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { CliIo } from '@revocation-fabric/operator/cli';
import { runCli } from '@revocation-fabric/operator/cli';
import { createTestDatabase, uniqueTopic } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { createUserService, loadConfig } from '@revocation-fabric/user-service';
import type { UserService } from '@revocation-fabric/user-service';

export const ADMIN_USERNAME = 'root';
export const PASSWORD = 'correct horse battery staple';
export const AUDIENCE = 'operator-cli-test';

/** A user-service of the test's own, reachable at the issuer it names in its tokens. */
export interface CliStack {
  readonly service: UserService;
  readonly database: TestDatabase;
  /** `http://127.0.0.1:<port>`: its URL and its tokens' `iss`. */
  readonly url: string;
  readonly topic: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a user-service on a free port whose issuer is its own URL (so `inspect` finds its
 * keys from the token's `iss`), publishing to a fresh three-partition topic on `brokers`.
 */
export async function startCliStack(brokers: readonly string[]): Promise<CliStack> {
  const database = await createTestDatabase('sqlite', { prefix: 'operator_cli' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const topic = uniqueTopic('operator-cli');
  const service = createUserService(
    loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      ISSUER: url,
      AUDIENCE,
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      KAFKA_BROKERS: brokers.join(','),
      REVOCATION_TOPIC: topic,
      REVOCATION_TOPIC_PARTITIONS: '3',
      OUTBOX_POLL_INTERVAL_MS: '100',
      OUTBOX_MAX_RETRY_DELAY_MS: '1000',
      BOOTSTRAP_ADMIN_USERNAME: ADMIN_USERNAME,
      BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
      ...database.env,
    }),
  );
  await service.start();
  return {
    service,
    database,
    url,
    topic,
    stop: async () => {
      await service.stop();
      await database.drop();
    },
  };
}

/** A token pair as the user-service answers a login. */
export interface Login {
  readonly accessToken: string;
  readonly sessionId: string;
}

async function post<T>(url: string, path: string, json: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body as T;
}

/** Signs in (and registers first, unless it is the admin). */
export async function login(url: string, username: string, register = false): Promise<Login> {
  if (register) await post(url, '/auth/register', { username, password: PASSWORD });
  return post<Login>(url, '/auth/login', { username, password: PASSWORD });
}

/** How an in-process run of the CLI ended. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A run of the CLI in progress, its output readable as it comes (`tail`). */
export interface LiveCliRun {
  readonly done: Promise<CliRun>;
  stdout(): string;
  stderr(): string;
  /** Ctrl-C. */
  interrupt(): void;
}

/** Starts the CLI in this process with captured streams and `env` as its whole environment. */
export function startCli(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): LiveCliRun {
  let stdout = '';
  let stderr = '';
  const stop = new AbortController();
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Object.assign(Readable.from([]), { isTTY: false }),
    env,
    signal: stop.signal,
  };
  const done = runCli(argv, io).then((code) => ({ code, stdout, stderr }));
  return { done, stdout: () => stdout, stderr: () => stderr, interrupt: () => stop.abort() };
}

/** Runs the CLI in this process to its end. */
export function runCliCaptured(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliRun> {
  return startCli(argv, env).done;
}
