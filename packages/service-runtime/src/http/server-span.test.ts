/**
 * The shell's server span over a real HTTP server, with the SDK registered as an application
 * opts in (W3C propagator, async-local context, in-memory exporter), and without it.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from './http-app.js';
import { closeGracefully, listen } from './listen.js';
import { routeDefiner } from './route.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';
const defineRoute = routeDefiner();

/** What the route saw as the active span: the context its work (an enqueue) would join. */
const seenSpanIds: (string | undefined)[] = [];

const routes = [
  defineRoute({
    method: 'post',
    path: '/items/:id',
    operationId: 'touch',
    summary: 'Touch an item',
    tags: ['items'],
    auth: 'none',
    body: z.strictObject({ fail: z.boolean() }),
    responses: { 204: { description: 'Touched.' } },
    handle: ({ body }) => {
      seenSpanIds.push(trace.getActiveSpan()?.spanContext().spanId);
      if (body.fail) throw new Error('boom');
      return Promise.resolve({ status: 204 });
    },
  }),
];

let server: Server;
let url: string;

beforeEach(async () => {
  seenSpanIds.length = 0;
  server = createServer(
    createHttpApp({
      logger: pino({ level: 'silent' }),
      httpDuration: { observe: () => {} },
      routes,
    }),
  );
  url = await listen(server, { host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  await closeGracefully(server);
  trace.disable();
  propagation.disable();
  context.disable();
});

function registerSdk(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
  return exporter;
}

async function touch(fail: boolean, headers: Record<string, string> = {}): Promise<number> {
  const answer = await fetch(`${url}/items/a1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ fail }),
  });
  await answer.arrayBuffer();
  return answer.status;
}

/** The finished spans, once the server's span for the last answer has ended. */
async function finished(exporter: InMemorySpanExporter, count: number) {
  for (let turn = 0; turn < 100 && exporter.getFinishedSpans().length < count; turn++)
    await new Promise((resolve) => setImmediate(resolve));
  return exporter.getFinishedSpans();
}

describe('the server span of a request', () => {
  it('continues the caller’s traceparent, is named by the route and is active in the route', async () => {
    const exporter = registerSdk();
    expect(await touch(false, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` })).toBe(204);
    const [span, ...more] = await finished(exporter, 1);
    expect(more).toEqual([]);
    expect(span?.name).toBe('POST /items/:id');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(CALLER_SPAN_ID);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/items/:id',
      'http.response.status_code': 204,
      'url.path': '/items/a1',
    });
    expect(seenSpanIds).toEqual([span?.spanContext().spanId]);
  });

  it('marks a 500 as an error and starts a trace of its own without a traceparent', async () => {
    const exporter = registerSdk();
    expect(await touch(true)).toBe(500);
    const [span] = await finished(exporter, 1);
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['http.response.status_code']).toBe(500);
  });

  it('leaves the route without an active span while no SDK is registered', async () => {
    expect(await touch(false, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN_ID}-01` })).toBe(204);
    expect(seenSpanIds).toEqual([undefined]);
  });
});
