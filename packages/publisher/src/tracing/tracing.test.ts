/**
 * The publisher's spans on a real (in-memory) SQLite outbox, with the SDK registered as an
 * application opts in (in-memory exporter, async-local context), and without it.
 */
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { parseTraceparent } from '@revocation-fabric/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueue } from '../outbox/enqueue.js';
import { outboxMigration } from '../outbox/migration.js';
import type { OutboxTable } from '../outbox/outbox-table.js';
import { activeTraceContext, traceSend } from './tracing.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const REQUEST_SPAN_ID = '00f067aa0ba902b7';
const SESSION = {
  kind: 'session',
  sid: 's1',
  reason: 'logout',
  actor: 'u1',
  iss: 'https://auth.test',
} as const;

const opened: Kysely<{ outbox: OutboxTable }>[] = [];
afterEach(async () => {
  trace.disable();
  context.disable();
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

async function outboxDb(): Promise<Kysely<{ outbox: OutboxTable }>> {
  const db = new Kysely<{ outbox: OutboxTable }>({
    dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
  });
  opened.push(db);
  await outboxMigration({ dialect: 'sqlite' }).up(db as unknown as Kysely<unknown>);
  return db;
}

async function storedHeaders(db: Kysely<{ outbox: OutboxTable }>): Promise<unknown> {
  const row = await db.selectFrom('outbox').select('headers').executeTakeFirstOrThrow();
  return row.headers === null ? null : JSON.parse(row.headers);
}

function registerSdk(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
  return exporter;
}

describe('the create span of an enqueued event', () => {
  it('is a child of the given context and is committed as the record headers', async () => {
    const exporter = registerSdk();
    const db = await outboxDb();
    const event = await enqueue(db, SESSION, {
      trace: { traceparent: `00-${TRACE_ID}-${REQUEST_SPAN_ID}-01`, tracestate: 'rf=1' },
    });
    const [create, ...more] = exporter.getFinishedSpans();
    expect(more).toEqual([]);
    expect(create?.name).toBe('create');
    expect(create?.kind).toBe(SpanKind.PRODUCER);
    expect(create?.parentSpanContext?.spanId).toBe(REQUEST_SPAN_ID);
    expect(create?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'create',
      'messaging.message.id': event.id,
      'messaging.kafka.message.key': `session:${encodeURIComponent('https://auth.test')}:s1`,
    });
    const headers = (await storedHeaders(db)) as Record<string, string>;
    expect(parseTraceparent(headers['traceparent'] ?? '')).toEqual({
      traceId: TRACE_ID,
      spanId: create?.spanContext().spanId,
      traceFlags: 1,
    });
    expect(headers['tracestate']).toBe('rf=1');
  });

  it('defaults to the active context, which activeTraceContext() also reads', async () => {
    const exporter = registerSdk();
    const db = await outboxDb();
    const request = trace.getTracer('test').startSpan('request');
    const captured = await context.with(trace.setSpan(context.active(), request), async () => {
      await enqueue(db, SESSION);
      return activeTraceContext();
    });
    request.end();
    const create = exporter.getFinishedSpans().find((span) => span.name === 'create');
    expect(create?.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(parseTraceparent(captured?.traceparent ?? '')?.spanId).toBe(
      request.spanContext().spanId,
    );
    expect(activeTraceContext()).toBeUndefined();
  });

  it('writes no headers while no SDK is registered', async () => {
    const db = await outboxDb();
    await enqueue(db, SESSION, { trace: { traceparent: `00-${TRACE_ID}-${REQUEST_SPAN_ID}-01` } });
    expect(await storedHeaders(db)).toBeNull();
    expect(activeTraceContext()).toBeUndefined();
  });
});

describe('the send span of a batch', () => {
  const traced = (spanId: string) => ({
    key: 'session:x',
    eventId: `e-${spanId}`,
    headers: { traceparent: `00-${TRACE_ID}-${spanId}-01` },
  });

  it('links to every traced message and names the topic', async () => {
    const exporter = registerSdk();
    const sent = await traceSend(
      'auth.revocations',
      [traced('00000000000000a1'), { key: 'k', eventId: 'e2' }, traced('00000000000000a3')],
      () => Promise.resolve('sent'),
    );
    expect(sent).toBe('sent');
    const [send] = exporter.getFinishedSpans();
    expect(send?.name).toBe('send auth.revocations');
    expect(send?.kind).toBe(SpanKind.CLIENT);
    expect(send?.links.map((link) => link.context.spanId)).toEqual([
      '00000000000000a1',
      '00000000000000a3',
    ]);
    expect(send?.attributes).toMatchObject({
      'messaging.destination.name': 'auth.revocations',
      'messaging.operation.type': 'send',
      'messaging.batch.message_count': 3,
    });
  });

  it('records a failed send and passes its error on', async () => {
    const exporter = registerSdk();
    const failure = new Error('broker gone');
    await expect(
      traceSend('auth.revocations', [traced('00000000000000b1')], () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('makes no span for a batch without trace context', async () => {
    const exporter = registerSdk();
    await traceSend('auth.revocations', [{ key: 'k', eventId: 'e1' }], () => Promise.resolve());
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
