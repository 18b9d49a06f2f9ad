/**
 * One OpenTelemetry trace from a logout to the socket it cuts, across processes (issue 22): the
 * user-service in this process (real PostgreSQL, real Kafka) and a verifier-backed socket.io
 * server in a child process, each with the SDK and an in-memory exporter registered, as an
 * application opts in. The child sends its finished spans over IPC; the test puts both
 * processes' spans together and asserts they form one trace, parent by parent.
 *
 * And the default: with no SDK registered anywhere, the same logout writes no trace headers and
 * the socket is still cut.
 */
import { randomBytes } from 'node:crypto';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createUserService, loadConfig } from '@revocation-fabric/user-service';
import type { UserService } from '@revocation-fabric/user-service';
import {
  createRevocationTopic,
  createTestDatabase,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { cutOf } from './support/game-client.js';
import { recordSpans } from './support/span-recorder.js';
import type { SpanRecord, SpanRecorder } from './support/span-recorder.js';
import type { TracedServerCommand, TracedServerReport } from './support/traced-socket-server.js';
import { WorkerProcess } from './support/worker-process.js';

const brokers = inject('kafkaBrokers');
const ISSUER = 'http://user-service.trace.test';
const AUDIENCE = 'revocation-fabric-trace';
const PASSWORD = 'correct horse battery staple';

/** What one scenario started, stopped after it in reverse order. */
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Scenario {
  readonly service: UserService;
  readonly worker: WorkerProcess<TracedServerCommand, TracedServerReport>;
  readonly topic: string;
  readonly accessToken: string;
  readonly socket: Socket;
}

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The user-service here, the socket server in a child (traced or not), one socket connected. */
async function startScenario(traced: boolean): Promise<Scenario> {
  const database: TestDatabase = await createTestDatabase('postgres', { prefix: 'trace_test' });
  cleanups.push(() => database.drop());
  const topic = uniqueTopic('trace');
  // Made here, not left to the service's relay: a relay whose first connection fails on a busy
  // machine creates the topic only with its first publish, and the verifier waits for the topic.
  await createRevocationTopic(brokers, topic);
  const config = loadConfig({
    ...database.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    ISSUER,
    AUDIENCE,
    LOG_LEVEL: 'silent',
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    KAFKA_BROKERS: brokers.join(','),
    REVOCATION_TOPIC: topic,
    REVOCATION_TOPIC_PARTITIONS: '3',
    OUTBOX_POLL_INTERVAL_MS: '100',
  });
  const service = createUserService(config);
  await service.start();
  cleanups.push(() => service.stop());
  const url = service.url ?? '';

  const worker = WorkerProcess.fork<TracedServerCommand, TracedServerReport>(
    new URL('./support/traced-socket-server.ts', import.meta.url),
    'traced-socket-server',
  );
  cleanups.push(() => worker.close());
  worker.send({
    type: 'start',
    setup: {
      brokers,
      topic,
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUrl: `${url}/.well-known/jwks.json`,
      traced,
    },
  });
  const { url: socketUrl } = await worker.next('ready', 90_000);

  const username = `trace-${randomBytes(4).toString('hex')}`;
  expect((await post(`${url}/auth/register`, { username, password: PASSWORD })).status).toBe(201);
  const login = await post(`${url}/auth/login`, { username, password: PASSWORD });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };

  const socket = io(socketUrl, {
    auth: { token: accessToken },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  cleanups.push(() => Promise.resolve(socket.close()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { service, worker, topic, accessToken, socket };
}

/** The one span named `name` (a prefix match for names that end in the topic). */
function only(spans: readonly SpanRecord[], name: string): SpanRecord {
  const found = spans.filter((span) => span.name === name);
  expect(found, `spans named ${name}: ${spans.map((s) => s.name).join(', ')}`).toHaveLength(1);
  return found[0] as SpanRecord;
}

/** The spans as a tree under their roots (links shown), for a reader of the test's output. */
function traceTree(spans: readonly SpanRecord[]): string {
  const lines: string[] = [];
  const walk = (span: SpanRecord, depth: number): void => {
    const links = span.links.map((link) => ` link→${link.spanId.slice(0, 8)}`).join('');
    lines.push(
      `${'  '.repeat(depth)}${span.name} [${span.kind}] ${span.process} trace=${span.traceId.slice(0, 8)} span=${span.spanId.slice(0, 8)}${links}`,
    );
    for (const child of spans.filter((s) => s.parentSpanId === span.spanId)) walk(child, depth + 1);
  };
  const ids = new Set(spans.map((span) => span.spanId));
  for (const root of spans.filter((s) => s.parentSpanId === undefined || !ids.has(s.parentSpanId)))
    walk(root, 0);
  return lines.join('\n');
}

describe('one trace from logout to socket cut', () => {
  let recorder: SpanRecorder | undefined;

  afterEach(async () => {
    await recorder?.stop();
    recorder = undefined;
  });

  it('follows a logout through the outbox, Kafka and a verifier in another process to the disconnect', async () => {
    recorder = recordSpans('user-service');
    const { service, worker, topic, accessToken, socket } = await startScenario(true);
    const cut = cutOf(socket);

    // The caller's own span: the service honours its traceparent.
    const client = trace.getTracer('logout-trace.test').startSpan('logout client', {
      kind: SpanKind.CLIENT,
    });
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), client), carrier);
    const logout = await post(`${service.url ?? ''}/auth/logout`, undefined, {
      ...carrier,
      authorization: `Bearer ${accessToken}`,
    });
    client.end();
    expect(logout.status).toBe(204);
    expect((await cut).reason).toBe('io server disconnect');

    let here: SpanRecord[] = [];
    await waitFor(
      async () => {
        here = await (recorder as SpanRecorder).spans();
        return here.some((span) => span.name === `send ${topic}`);
      },
      { timeoutMs: 20_000, description: 'the relay sent the event' },
    );
    let there: SpanRecord[] = [];
    await waitFor(
      async () => {
        worker.send({ type: 'spans' });
        there = [...(await worker.next('spans', 10_000)).spans];
        return there.some((span) => span.name === 'socket.io disconnect');
      },
      { timeoutMs: 20_000, description: 'the child finished its disconnect span' },
    );
    const spans = [...here, ...there];
    if (process.env['PRINT_TRACE'] !== undefined) console.info(traceTree(spans));

    const clientSpan = only(spans, 'logout client');
    const server = only(spans, 'POST /auth/logout');
    const create = only(spans, 'create');
    const send = only(spans, `send ${topic}`);
    const processSpan = only(spans, `process ${topic}`);
    const disconnect = only(spans, 'socket.io disconnect');
    const traceId = clientSpan.traceId;

    expect(server).toMatchObject({
      process: 'user-service',
      kind: 'SERVER',
      traceId,
      parentSpanId: clientSpan.spanId,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/auth/logout',
        'http.response.status_code': 204,
      },
    });
    expect(create).toMatchObject({
      process: 'user-service',
      kind: 'PRODUCER',
      traceId,
      parentSpanId: server.spanId,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'create',
        'revocation.kind': 'session',
      },
    });
    const eventId = create.attributes['messaging.message.id'];
    expect(typeof eventId).toBe('string');
    // The send is the relay's own operation (a batch), linked to each message's creation.
    expect(send).toMatchObject({
      process: 'user-service',
      kind: 'CLIENT',
      links: [{ traceId, spanId: create.spanId }],
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.message.id': eventId,
      },
    });
    expect(processSpan).toMatchObject({
      process: 'verifier',
      kind: 'CONSUMER',
      traceId,
      parentSpanId: create.spanId,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'process',
        'messaging.message.id': eventId,
        'revocation.newly_rejects': true,
        'revocation.live': true,
      },
    });
    expect(disconnect).toMatchObject({
      process: 'verifier',
      traceId,
      parentSpanId: processSpan.spanId,
      attributes: { 'revocation.kind': 'session', 'revocation.sockets': 1 },
    });
  });

  it('writes no trace headers and still cuts the socket when no SDK is registered', async () => {
    const { service, accessToken, socket } = await startScenario(false);
    const cut = cutOf(socket);
    const logout = await post(`${service.url ?? ''}/auth/logout`, undefined, {
      authorization: `Bearer ${accessToken}`,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(logout.status).toBe(204);
    expect((await cut).reason).toBe('io server disconnect');
    const rows = await service.store.db.selectFrom('outbox').select(['kind', 'headers']).execute();
    expect(rows).toEqual([{ kind: 'session', headers: null }]);
  });
});
