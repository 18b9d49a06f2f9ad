/**
 * B8 — the issuer under a logout wave: how many logouts per second the user-service answers,
 * and how fast, on SQLite and on PostgreSQL, with one verifier and the broker on the same
 * machine. Every logout is the production path (`POST /auth/logout`: token check, the session
 * row and the outbox row in one transaction, the relay publishing with acks=all), offered
 * open-loop at 1,000 per second so a slow answer does not lower the offered rate.
 *
 * `BENCH_CPU_PROF=<dir>` writes a CPU profile of the user-service over each measured window
 * there (`b8-<database>.cpuprofile`).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestDatabase, uniqueTopic } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import type { BenchContext } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { createRevocationTopic, deleteTopics } from '../lib/kafka.js';
import type { Distribution } from '../lib/stats.js';
import { procCpuMs } from '../idle/proc-cpu.js';
import {
  AUDIENCE,
  ISSUER,
  UserServiceDriver,
  measureRate,
  startVerifiers,
} from '../propagation/run.js';
import type { Revoke } from '../propagation/run.js';
import type {
  ProfileRequest,
  UserServiceReady,
  UserServiceRequest,
} from '../propagation/user-service-worker.js';

/** The user-service's database in a row. */
export type IssuerDatabase = 'sqlite' | 'postgres';

export interface B8Row {
  readonly database: IssuerDatabase;
  /** Offered logouts per second. */
  readonly rate: number;
  readonly durationSeconds: number;
  readonly logouts: number;
  /** Logouts answered per second, first request to last answer. */
  readonly achievedRate: number;
  readonly failedLogouts: number;
  /** Logout request → its 204, ms (client clock). */
  readonly answerMs: Distribution;
  /** Logout response → the verifier rejecting the token, ms. */
  readonly propagationMs: Distribution;
  readonly missing: number;
  /** Share of all cores busy while the row ran (every process), 0..1. */
  readonly cpuBusy: number;
  /** CPU the user-service process used while the row ran, ms per wall-clock second. */
  readonly userServiceCpuMsPerS: number;
  /** The `--cpu-prof` profile written for this row, if asked for. */
  readonly profile?: string;
}

export interface B8Result {
  readonly method: string;
  readonly rows: readonly B8Row[];
}

const RATE = 1_000;

async function runOne(
  ctx: BenchContext,
  database: IssuerDatabase,
  durationSeconds: number,
  profileDir: string | undefined,
): Promise<B8Row> {
  const topic = uniqueTopic(`bench-b8-${database}`);
  await createRevocationTopic(ctx.brokers, topic, 1);
  let scratch: TestDatabase | undefined;
  const service = WorkerProcess.start<
    UserServiceRequest | ProfileRequest | { type: 'stop' },
    UserServiceReady | { type: 'profiling' } | { type: 'profiled' }
  >('propagation/user-service-worker', `user-service-${database}`);
  const profile =
    profileDir === undefined ? undefined : join(profileDir, `b8-${database}.cpuprofile`);
  let users: UserServiceDriver | undefined;
  try {
    if (database === 'postgres')
      scratch = await createTestDatabase('postgres', { prefix: 'bench_b8' });
    service.send({
      type: 'start',
      brokers: ctx.brokers,
      topic,
      replicationFactor: 1,
      issuer: ISSUER,
      audience: AUDIENCE,
      ...(scratch?.config.kind === 'postgres' ? { databaseUrl: scratch.config.url } : {}),
    });
    const { url } = await service.next('ready', 180_000);
    users = new UserServiceDriver(url);
    await users.register();
    const sessions = await users.login(RATE * durationSeconds);
    const workers = await startVerifiers(1, {
      brokers: ctx.brokers,
      topic,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${url}/.well-known/jwks.json`,
    });
    try {
      for (const worker of workers) {
        worker.send({ type: 'probes', tokens: sessions.map((session) => session.token) });
      }
      await Promise.all(workers.map((worker) => worker.next('armed', 300_000)));
      const { client } = users;
      const logout: Revoke = async (session) => {
        const answer = await client.send('POST', '/auth/logout', { token: session.token });
        return answer.status === 204 ? answer.at : undefined;
      };
      if (profile !== undefined) {
        service.send({ type: 'profile-start' });
        await service.next('profiling', 10_000);
      }
      const pid = service.pid;
      const cpuBefore = pid === undefined ? NaN : procCpuMs(pid);
      const wallBefore = performance.now();
      const measured = await measureRate(
        ctx,
        'single-node',
        'user-service',
        logout,
        workers,
        sessions,
        RATE,
        durationSeconds,
      );
      const cpuMs = pid === undefined ? NaN : procCpuMs(pid) - cpuBefore;
      if (profile !== undefined) {
        service.send({ type: 'profile-stop', path: profile });
        await service.next('profiled', 60_000);
      }
      const row: B8Row = {
        database,
        rate: RATE,
        durationSeconds,
        logouts: measured.logouts,
        achievedRate: measured.achievedRate,
        failedLogouts: measured.failedLogouts,
        answerMs: measured.logoutResponseMs,
        propagationMs: measured.propagationMs,
        missing: measured.missing,
        cpuBusy: measured.cpuBusy ?? Number.NaN,
        userServiceCpuMsPerS: Math.round((cpuMs / (performance.now() - wallBefore)) * 1000),
        ...(profile === undefined ? {} : { profile }),
      };
      ctx.log(
        `B8 ${database}: achieved ${row.achievedRate}/s of ${RATE}/s, answer p50 ${row.answerMs.p50} ms, p99 ${row.answerMs.p99} ms, user-service ${row.userServiceCpuMsPerS} ms/s CPU, machine ${Math.round(row.cpuBusy * 100)} % busy`,
      );
      return row;
    } finally {
      await stopAll(workers);
    }
  } finally {
    users?.client.close();
    await service.stop(20_000);
    await scratch?.drop().catch(() => undefined);
    await deleteTopics(ctx.brokers, [topic]);
  }
}

export async function runB8(ctx: BenchContext): Promise<B8Result> {
  const durationSeconds = ctx.quick ? 3 : 10;
  const asked = process.env['BENCH_CPU_PROF'];
  const profileDir = asked === undefined || asked === '' ? undefined : resolve(asked);
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  const rows: B8Row[] = [];
  for (const database of ['sqlite', 'postgres'] as const) {
    rows.push(await runOne(ctx, database, durationSeconds, profileDir));
  }
  return {
    method: `A user-service process (production code path; argon2 lowered for the logins beforehand), one verifier process holding a probe token per session, the broker; ${RATE} POST /auth/logout per second offered open-loop for ${durationSeconds} s, one fresh session each. Answer = request sent → 204 received (client clock). Propagation = 204 → the verifier rejecting that session's token. CPU: the user-service's /proc utime+stime over the row; machine busy = all cores.`,
    rows,
  };
}
