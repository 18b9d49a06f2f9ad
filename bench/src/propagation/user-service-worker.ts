/**
 * B3 and B8 worker: a real user-service (SQLite in a temp directory or a PostgreSQL database,
 * its outbox relay, its JWKS), in its own process so that it does not share an event loop with
 * the load that drives it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserService, loadConfig } from '@revocation-fabric/user-service';
import type { UserService } from '@revocation-fabric/user-service';
import type { Message } from '../lib/child.js';
import { startWindowProfile, stopWindowProfile } from '../lib/window-profile.js';
import { fail, listen, reply } from '../lib/worker-side.js';

export interface UserServiceRequest extends Message {
  readonly type: 'start';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly replicationFactor: number;
  readonly issuer: string;
  readonly audience: string;
  /** A PostgreSQL URL (an empty database); omitted: SQLite in a temp directory. */
  readonly databaseUrl?: string;
}

export interface UserServiceReady extends Message {
  readonly type: 'ready';
  readonly url: string;
}

/**
 * argon2id lowered from OWASP's parameters (m = 19 MiB, t = 2): the benchmark logs in thousands
 * of sessions to have tokens to revoke, and password hashing is not on the measured path
 * (logout does not hash). Everything else is the service's production code path.
 */
const BENCH_ARGON2 = { memoryCost: 1_024, timeCost: 1, parallelism: 1 } as const;

let service: UserService | undefined;
let dataDir: string | undefined;

async function start(request: UserServiceRequest): Promise<UserServiceReady> {
  dataDir = mkdtempSync(join(tmpdir(), 'rf-bench-users-'));
  const config = loadConfig({
    NODE_ENV: 'development',
    KAFKA_BROKERS: request.brokers.join(','),
    KAFKA_CLIENT_ID: 'bench-user-service',
    ...(request.databaseUrl === undefined
      ? { SQLITE_PATH: join(dataDir, 'users.sqlite') }
      : { DATABASE_URL: request.databaseUrl }),
    HOST: '127.0.0.1',
    PORT: '0',
    ISSUER: request.issuer,
    AUDIENCE: request.audience,
    REVOCATION_TOPIC: request.topic,
    REVOCATION_TOPIC_REPLICATION_FACTOR: String(request.replicationFactor),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    // Request logs would cost CPU the measured path needs; warnings still show.
    LOG_LEVEL: 'warn',
  });
  service = createUserService(config, { argon2: BENCH_ARGON2 });
  const url = await service.start();
  return { type: 'ready', url };
}

/** B8's profile of its measured window: `start`, then `stop` writes the file to `path`. */
export type ProfileRequest =
  { readonly type: 'profile-start' } | { readonly type: 'profile-stop'; readonly path: string };

listen<UserServiceRequest | ProfileRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'profile-start') {
    await startWindowProfile();
    reply({ type: 'profiling' });
    return;
  }
  if (message.type === 'profile-stop') {
    await stopWindowProfile(message.path);
    reply({ type: 'profiled' });
    return;
  }
  if (message.type === 'stop') {
    await service?.stop().catch(() => undefined);
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }
  reply(await start(message));
});
process.on('uncaughtException', fail);
