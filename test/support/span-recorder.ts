/**
 * OpenTelemetry as an application opts in to it, for the tracing tests: the SDK's tracer
 * provider with an in-memory exporter, the W3C propagator and the async-local context manager,
 * registered globally in this process. Finished spans are read back as plain records, which a
 * child process can send to the test over IPC.
 */
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

/** A finished span, as plain data. */
export interface SpanRecord {
  /** Which process recorded it (the recorder's name). */
  readonly process: string;
  readonly name: string;
  readonly kind: keyof typeof SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
}

/** The spans one process finished, and how to stop recording. */
export interface SpanRecorder {
  spans(): Promise<SpanRecord[]>;
  /** Unregisters everything, so the process is untraced again. */
  stop(): Promise<void>;
}

const KIND_NAMES = Object.fromEntries(
  Object.entries(SpanKind)
    .filter(([, value]) => typeof value === 'number')
    .map(([k, v]) => [v, k]),
) as Record<number, keyof typeof SpanKind>;

function plain(attributes: Attributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = value;
  }
  return out;
}

/** Registers the SDK in this process, recording spans as `processName`. */
export function recordSpans(processName: string): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async spans() {
      await provider.forceFlush();
      return exporter.getFinishedSpans().map((span) => {
        const own = span.spanContext();
        return {
          process: processName,
          name: span.name,
          kind: KIND_NAMES[span.kind] ?? 'INTERNAL',
          traceId: own.traceId,
          spanId: own.spanId,
          parentSpanId: span.parentSpanContext?.spanId,
          links: span.links.map((link) => ({
            traceId: link.context.traceId,
            spanId: link.context.spanId,
          })),
          attributes: plain(span.attributes),
        };
      });
    },
    async stop() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
