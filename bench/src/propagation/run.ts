/**
 * B3 — propagation: from the user-service's logout response to the moment each verifier
 * process rejects the token, with 1, 5 and 10 verifier processes at 10, 100 and 1,000
 * revocations per second sustained; then socket disconnect latency through the socket.io
 * adapter. The same on the 3-node cluster ("scale").
 *
 * Every revocation is a real `POST /auth/logout` (session rule, committed with its outbox row,
 * published by the relay with acks=all). Logouts are sent open-loop on a fixed schedule, so a
 * slow answer does not lower the offered rate.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCluster, stopCluster } from '@revocation-fabric/kafka-local';
import { createEvent, encodeEvent } from '@revocation-fabric/protocol';
import { uniqueTopic } from '@revocation-fabric/testkit';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { BenchContext } from '../context.js';
import { WorkerProcess, stopAll } from '../lib/child.js';
import { wallClockMs } from '../lib/clock.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import { HttpClient, mapConcurrent } from '../lib/http.js';
import { createRevocationTopic, deleteTopics, recordProducer } from '../lib/kafka.js';
import type { RecordProducer } from '../lib/kafka.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import type { SocketServerReady, SocketServerRequest } from './socket-server-worker.js';
import type { UserServiceReady, UserServiceRequest } from './user-service-worker.js';
import type { VerifierWorkerReply, VerifierWorkerRequest } from './verifier-worker.js';

/** Which Kafka a configuration ran on. */
export type ClusterLabel = 'single-node' | '3-node';

/**
 * Where a revocation's clock starts: the user-service's logout response, or (to offer rates the
 * user-service cannot sustain on this machine) a kafkajs producer's acks=all send of the same
 * session event resolving.
 */
export type RevocationSource = 'user-service' | 'producer';

export interface B3Config {
  readonly cluster: ClusterLabel;
  readonly source: RevocationSource;
  readonly verifiers: number;
  /** Offered logouts per second. */
  readonly rate: number;
  readonly durationSeconds: number;
  readonly logouts: number;
  /** Revocations acknowledged per second, first request to last answer. */
  readonly achievedRate: number;
  readonly failedLogouts: number;
  /** Revocation request → acknowledgement (logout response or producer ack), ms. */
  readonly logoutResponseMs: Distribution;
  /** Acknowledgement → rejection, ms, over every (verifier, token) pair. */
  readonly propagationMs: Distribution;
  /** The worst verifier's p99, ms. */
  readonly worstVerifierP99Ms: number;
  /**
   * Share of all cores busy (every process on the machine) from the first revocation sent to
   * the last rejection seen, 0..1: a miss on a saturated machine shows as such. Absent in
   * result files older than this field.
   */
  readonly cpuBusy?: number;
  /** Pairs never rejected within the wait (15 s after the last answer). */
  readonly missing: number;
  /** Pairs rejected before the client had the logout response (negative latency). */
  readonly beforeResponse: number;
  readonly anomalies: readonly string[];
}

export interface B3Socket {
  readonly cluster: ClusterLabel;
  readonly sockets: number;
  readonly rate: number;
  /** Logout response → the client's `disconnect`, ms (one process, one clock). */
  readonly disconnectMs: Distribution;
  /** Logout response → the client's `revoked` event, ms. */
  readonly revokedEventMs: Distribution;
  readonly missing: number;
}

export interface B3ClusterSetup {
  readonly cluster: ClusterLabel;
  readonly brokers: readonly string[];
  readonly kafkaVersion: string;
  readonly replicationFactor: number;
  readonly clusterStartMs?: number;
}

export interface B3Result {
  readonly method: string;
  readonly clock: string;
  readonly source: string;
  readonly clusters: readonly B3ClusterSetup[];
  readonly configs: readonly B3Config[];
  readonly sockets: readonly B3Socket[];
}

interface Plan {
  readonly verifiers: readonly number[];
  /** Offered logout rates through the user-service. */
  readonly rates: readonly number[];
  /** Offered rates of events published directly with a kafkajs producer. */
  readonly producerRates: readonly number[];
  readonly sockets: number;
}

/** Revokes one session; resolves with the acknowledgement time, or undefined on failure. */
export type Revoke = (session: Session) => Promise<number | undefined>;

export interface Session {
  readonly token: string;
  readonly sid: string;
}

export type VerifierWorker = WorkerProcess<VerifierWorkerRequest, VerifierWorkerReply>;

export const ISSUER = 'https://users.bench.example';
export const AUDIENCE = 'bench-service';
const PASSWORD = 'bench-password-0123456789';
const USERS = 20;
const PROPAGATION_WAIT_MS = 15_000;
const SOCKET_RATE = 20;

function durationFor(quick: boolean, rate: number): number {
  if (!quick) return 10;
  return rate <= 10 ? 2 : 1;
}

/** Calls `fire(i)` for i < count at `rate` per second from now, catching up after a late tick. */
export async function paced(rate: number, count: number, fire: (i: number) => void): Promise<void> {
  const started = performance.now();
  let i = 0;
  while (i < count) {
    const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
    while (i < due) fire(i++);
    if (i < count) await sleep(Math.max(0, (i * 1000) / rate - (performance.now() - started)));
  }
}

export class UserServiceDriver {
  readonly client: HttpClient;
  readonly #usernames: string[] = [];
  #next = 0;

  constructor(url: string) {
    this.client = new HttpClient(url);
  }

  async register(): Promise<void> {
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < USERS; i++) {
      const username = `bench-${tag}-${i}`;
      const answer = await this.client.send('POST', '/auth/register', {
        json: { username, password: PASSWORD },
      });
      if (answer.status !== 201) throw new Error(`register: ${answer.status} ${answer.body}`);
      this.#usernames.push(username);
    }
  }

  /** Opens `count` sessions, spread over the accounts. */
  login(count: number): Promise<Session[]> {
    return mapConcurrent(Array.from({ length: count }), 8, async () => {
      const username = this.#usernames[this.#next++ % this.#usernames.length] ?? '';
      const answer = await this.client.send('POST', '/auth/login', {
        json: { username, password: PASSWORD },
      });
      if (answer.status !== 200) throw new Error(`login: ${answer.status} ${answer.body}`);
      const body = JSON.parse(answer.body) as { accessToken: string; sessionId: string };
      return { token: body.accessToken, sid: body.sessionId };
    });
  }
}

export async function measureRate(
  ctx: BenchContext,
  cluster: ClusterLabel,
  source: RevocationSource,
  revoke: Revoke,
  workers: readonly VerifierWorker[],
  sessions: readonly Session[],
  rate: number,
  durationSeconds: number,
): Promise<B3Config> {
  const reports = workers.map(() => new Map<string, number>());
  const anomalies: string[] = [];
  workers.forEach((worker, index) => {
    worker.on('rejected', ({ sids, at }) => {
      const report = reports[index];
      sids.forEach((sid, k) => report?.set(sid, at[k] ?? Number.NaN));
    });
    worker.on('anomaly', ({ message }) => anomalies.push(`${worker.name}: ${message}`));
  });
  const answeredAt = new Map<string, number>();
  const responseMs: number[] = [];
  let failedLogouts = 0;
  const machineBefore = cpuTimes();
  const inflight: Promise<void>[] = [];
  const firstSend = wallClockMs();
  await paced(rate, sessions.length, (i) => {
    const session = sessions[i] as Session;
    const sent = wallClockMs();
    inflight.push(
      revoke(session).then(
        (at) => {
          if (at === undefined) failedLogouts += 1;
          else {
            answeredAt.set(session.sid, at);
            responseMs.push(at - sent);
          }
        },
        () => {
          failedLogouts += 1;
        },
      ),
    );
  });
  await Promise.all(inflight);
  let lastAnswer = firstSend;
  for (const at of answeredAt.values()) lastAnswer = Math.max(lastAnswer, at);
  const deadline = performance.now() + PROPAGATION_WAIT_MS;
  const complete = () =>
    reports.every((report) => [...answeredAt.keys()].every((sid) => report.has(sid)));
  while (!complete() && performance.now() < deadline) await sleep(20);
  const cpuBusy = busyShare(machineBefore, cpuTimes());

  const latencies: number[] = [];
  const perVerifierP99: number[] = [];
  let missing = 0;
  let beforeResponse = 0;
  for (const report of reports) {
    const own: number[] = [];
    for (const [sid, t0] of answeredAt) {
      const t1 = report.get(sid);
      if (t1 === undefined) {
        missing += 1;
        continue;
      }
      if (t1 < t0) beforeResponse += 1;
      own.push(t1 - t0);
    }
    latencies.push(...own);
    perVerifierP99.push(summarize(own, 1, 2).p99);
  }
  const config: B3Config = {
    cluster,
    source,
    verifiers: workers.length,
    rate,
    durationSeconds,
    logouts: sessions.length,
    achievedRate: Math.round((answeredAt.size / (lastAnswer - firstSend)) * 1000 * 10) / 10,
    failedLogouts,
    logoutResponseMs: summarize(responseMs, 1, 2),
    propagationMs: summarize(latencies, 1, 2),
    worstVerifierP99Ms: Math.max(...perVerifierP99),
    cpuBusy,
    missing,
    beforeResponse,
    anomalies,
  };
  ctx.log(
    `B3 ${cluster} ${source}: ${workers.length} verifiers @ ${rate}/s (achieved ${config.achievedRate}/s): p50 ${config.propagationMs.p50} ms, p99 ${config.propagationMs.p99} ms, max ${config.propagationMs.max} ms, missing ${missing}, CPU busy ${Math.round(cpuBusy * 100)} %`,
  );
  return config;
}

export async function startVerifiers(
  count: number,
  init: Omit<Extract<VerifierWorkerRequest, { type: 'init' }>, 'type' | 'name'>,
): Promise<VerifierWorker[]> {
  const workers: VerifierWorker[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const worker = WorkerProcess.start<VerifierWorkerRequest, VerifierWorkerReply>(
        'propagation/verifier-worker',
        `verifier-${i}`,
      );
      workers.push(worker);
      worker.send({ type: 'init', name: String(i), ...init });
    }
    await Promise.all(workers.map((worker) => worker.next('ready', 180_000)));
    return workers;
  } catch (error) {
    await stopAll(workers);
    throw error;
  }
}

async function measureSockets(
  ctx: BenchContext,
  cluster: ClusterLabel,
  users: UserServiceDriver,
  server: SocketServerRequest,
  count: number,
): Promise<B3Socket> {
  const worker = WorkerProcess.start<SocketServerRequest | { type: 'stop' }, SocketServerReady>(
    'propagation/socket-server-worker',
    'socket-server',
  );
  const sockets: Socket[] = [];
  try {
    worker.send(server);
    const { url } = await worker.next('ready', 180_000);
    const sessions = await users.login(count);
    const disconnectedAt = new Map<string, number>();
    const revokedAt = new Map<string, number>();
    await mapConcurrent(sessions, 16, async (session) => {
      const socket = io(url, {
        auth: { token: session.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      socket.on('revoked', () => revokedAt.set(session.sid, wallClockMs()));
      socket.on('disconnect', () => disconnectedAt.set(session.sid, wallClockMs()));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
    });
    const answeredAt = new Map<string, number>();
    const inflight: Promise<void>[] = [];
    await paced(SOCKET_RATE, sessions.length, (i) => {
      const session = sessions[i] as Session;
      inflight.push(
        users.client.send('POST', '/auth/logout', { token: session.token }).then((answer) => {
          if (answer.status === 204) answeredAt.set(session.sid, answer.at);
        }),
      );
    });
    await Promise.all(inflight);
    const deadline = performance.now() + PROPAGATION_WAIT_MS;
    while (disconnectedAt.size < answeredAt.size && performance.now() < deadline) await sleep(50);
    const disconnect: number[] = [];
    const revoked: number[] = [];
    for (const [sid, t0] of answeredAt) {
      const t1 = disconnectedAt.get(sid);
      if (t1 !== undefined) disconnect.push(t1 - t0);
      const tr = revokedAt.get(sid);
      if (tr !== undefined) revoked.push(tr - t0);
    }
    const result: B3Socket = {
      cluster,
      sockets: count,
      rate: SOCKET_RATE,
      disconnectMs: summarize(disconnect, 1, 2),
      revokedEventMs: summarize(revoked, 1, 2),
      missing: answeredAt.size - disconnect.length,
    };
    ctx.log(
      `B3 ${cluster}: sockets: disconnect p50 ${result.disconnectMs.p50} ms, p99 ${result.disconnectMs.p99} ms, missing ${result.missing}`,
    );
    return result;
  } finally {
    for (const socket of sockets) socket.close();
    await worker.stop();
  }
}

/** How long the direct producer gathers events into one send, ms (Kafka's `linger.ms`). */
const PRODUCER_LINGER_MS = 5;

/**
 * Publishes session events the way a relay would: events of the same few milliseconds share one
 * acks=all send, and each resolves with that send's acknowledgement time. One send per event
 * costs kafkajs too much CPU at 1,000 per second, which would delay the acknowledgements
 * themselves and make the clock start late.
 */
function batchingPublisher(producer: RecordProducer, topic: string): Revoke {
  let batch: Array<{
    message: { key: string; value: string };
    done: (at: number | undefined) => void;
  }> = [];
  const flush = () => {
    const sending = batch;
    batch = [];
    producer
      .send(
        topic,
        sending.map((entry) => entry.message),
      )
      .then(
        () => {
          const at = wallClockMs();
          for (const entry of sending) entry.done(at);
        },
        () => {
          for (const entry of sending) entry.done(undefined);
        },
      );
  };
  return (session) =>
    new Promise((resolve) => {
      const message = encodeEvent(
        createEvent({
          kind: 'session',
          sid: session.sid,
          reason: 'logout',
          actor: 'bench',
          iss: ISSUER,
        }),
      );
      if (batch.length === 0) setTimeout(flush, PRODUCER_LINGER_MS);
      batch.push({ message: { key: message.key, value: message.value }, done: resolve });
    });
}

async function runOn(
  ctx: BenchContext,
  cluster: ClusterLabel,
  brokers: readonly string[],
  replicationFactor: number,
  plan: Plan,
  configs: B3Config[],
  sockets: B3Socket[],
): Promise<void> {
  const topic = uniqueTopic('bench-b3');
  await createRevocationTopic(brokers, topic, replicationFactor);
  const service = WorkerProcess.start<UserServiceRequest | { type: 'stop' }, UserServiceReady>(
    'propagation/user-service-worker',
    'user-service',
  );
  const producer = recordProducer(brokers, 'bench-b3-producer');
  let users: UserServiceDriver | undefined;
  try {
    service.send({
      type: 'start',
      brokers,
      topic,
      replicationFactor,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const { url } = await service.next('ready', 180_000);
    users = new UserServiceDriver(url);
    const { client } = users;
    await users.register();
    await producer.connect();
    const init = {
      brokers,
      topic,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${url}/.well-known/jwks.json`,
    };
    const logout: Revoke = async (session) => {
      const answer = await client.send('POST', '/auth/logout', { token: session.token });
      return answer.status === 204 ? answer.at : undefined;
    };
    const publish = batchingPublisher(producer, topic);
    const steps = [
      ...plan.rates.map((rate) => ({ rate, source: 'user-service' as const, revoke: logout })),
      ...plan.producerRates.map((rate) => ({ rate, source: 'producer' as const, revoke: publish })),
    ];
    for (const count of plan.verifiers) {
      const perRate = steps.map(({ rate }) => rate * durationFor(ctx.quick, rate));
      const total = perRate.reduce((a, b) => a + b, 0);
      let phase = performance.now();
      const sessions = await users.login(total);
      ctx.log(
        `B3 ${cluster}: ${total} sessions logged in (${Math.round(performance.now() - phase)} ms)`,
      );
      phase = performance.now();
      const workers = await startVerifiers(count, init);
      try {
        workers.forEach((worker) =>
          worker.send({ type: 'probes', tokens: sessions.map((session) => session.token) }),
        );
        const armed = await Promise.all(workers.map((worker) => worker.next('armed', 300_000)));
        const failed = armed.reduce((sum, reply) => sum + reply.failed, 0);
        if (failed > 0) throw new Error(`${failed} probe tokens failed verification`);
        ctx.log(
          `B3 ${cluster}: ${count} verifiers ready and armed (${Math.round(performance.now() - phase)} ms)`,
        );
        let offset = 0;
        for (const [index, { rate, source, revoke }] of steps.entries()) {
          const share = sessions.slice(offset, offset + (perRate[index] ?? 0));
          offset += share.length;
          configs.push(
            await measureRate(
              ctx,
              cluster,
              source,
              revoke,
              workers,
              share,
              rate,
              durationFor(ctx.quick, rate),
            ),
          );
        }
      } finally {
        await stopAll(workers);
      }
    }
    if (plan.sockets > 0) {
      sockets.push(
        await measureSockets(ctx, cluster, users, { type: 'start', ...init }, plan.sockets),
      );
    }
  } finally {
    users?.client.close();
    await producer.disconnect().catch(() => undefined);
    await service.stop(20_000);
    await deleteTopics(brokers, [topic]);
  }
}

/** Base port of the 3-node cluster; `BENCH_CLUSTER_PORT` overrides (uses it and the next 5). */
function clusterPort(): number {
  const value = Number(process.env['BENCH_CLUSTER_PORT'] ?? 49_092);
  if (!Number.isInteger(value) || value < 1024 || value > 65_000) {
    throw new TypeError(`BENCH_CLUSTER_PORT must be a port number, got ${String(value)}`);
  }
  return value;
}

export async function runB3(ctx: BenchContext): Promise<B3Result> {
  const configs: B3Config[] = [];
  const sockets: B3Socket[] = [];
  const clusters: B3ClusterSetup[] = [];
  const full: Plan = {
    verifiers: [1, 5, 10],
    rates: [10, 100, 1_000],
    producerRates: [1_000],
    sockets: 200,
  };
  // Quick: the extremes only (logging in one session per revocation dominates the time).
  const single: Plan = ctx.quick ? { ...full, verifiers: [1, 10], sockets: 30 } : full;
  const scale: Plan = ctx.quick
    ? { verifiers: [10], rates: [1_000], producerRates: [1_000], sockets: 30 }
    : full;

  clusters.push({
    cluster: 'single-node',
    brokers: ctx.brokers,
    kafkaVersion: ctx.kafkaVersion,
    replicationFactor: 1,
  });
  await runOn(ctx, 'single-node', ctx.brokers, 1, single, configs, sockets);

  const name = 'bench-scale';
  const started = performance.now();
  ctx.log(`B3: starting the 3-node cluster ${name} on port ${clusterPort()}`);
  try {
    const cluster = await startCluster({
      nodes: 3,
      basePort: clusterPort(),
      name,
      fresh: true,
      startTimeoutMs: 240_000,
      log: (line) => ctx.log(`kafka-local: ${line}`),
    });
    clusters.push({
      cluster: '3-node',
      brokers: cluster.brokers,
      kafkaVersion: cluster.kafkaVersion,
      replicationFactor: 3,
      clusterStartMs: Math.round(performance.now() - started),
    });
    await runOn(ctx, '3-node', cluster.brokers, 3, scale, configs, sockets);
  } finally {
    await stopCluster({ name });
  }

  return {
    method: `Per cluster: a user-service process (SQLite, outbox relay, acks=all), ${USERS} accounts and one session per revocation logged in beforehand; N verifier processes (own consumer each, JWKS from the user-service) hold one probe token per session (50 of them verified with verify(), the rest decoded), then revocations are sent open-loop at the offered rate (${ctx.quick ? '1–2' : '10'} s per rate). Each verifier re-checks the probe of every session rule it applies with check() and stamps the rejection; latency = rejection − acknowledgement (logout response, or for the producer rows the acks=all send resolving), over every (verifier, token) pair. Sockets: ${SOCKET_RATE} logouts/s of sessions with a live socket.io connection to one verifier-guarded server; latency = client disconnect − logout response.`,
    clock:
      'performance.timeOrigin + performance.now() in every process (sub-ms; anchored to the system clock at process start, all processes on one host)',
    source:
      'user-service POST /auth/logout response (session rule through the transactional outbox and relay)',
    clusters,
    configs,
    sockets,
  };
}
