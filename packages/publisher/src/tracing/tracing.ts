/**
 * The publisher's OpenTelemetry spans — the one file of the package that imports
 * `@opentelemetry/api`. The API is a no-op until the application registers an SDK's tracer
 * provider: that registration is the opt-in, and without it nothing here creates, parses or
 * stores anything.
 *
 * Following the messaging semantic conventions for a producer that batches: `enqueue` makes a
 * `create` span (PRODUCER) in the revoking request's trace, whose context is committed with the
 * outbox row and travels as the record's `traceparent`/`tracestate` headers; the relay's
 * `send <topic>` span (CLIENT) links to the creation context of every message it sends.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Context, Link, Span, SpanContext, Tracer } from '@opentelemetry/api';
import { ProxyTracerProvider, createTraceState } from '@opentelemetry/api';
import {
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  formatTraceparent,
  parseTraceparent,
} from '@revocation-fabric/protocol';
import type { RevocationEvent, TraceContextHeaders } from '@revocation-fabric/protocol';

const TRACER_NAME = '@revocation-fabric/publisher';

/**
 * Whether a tracer provider is registered (not the API's no-op). Read on every call, not
 * cached: an application may register its SDK after importing the package.
 */
function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return (
    !(provider instanceof ProxyTracerProvider) ||
    provider.getDelegateTracer(TRACER_NAME) !== undefined
  );
}

function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

function headersOf(span: SpanContext): TraceContextHeaders {
  const tracestate = span.traceState?.serialize();
  return {
    traceparent: formatTraceparent(span),
    ...(tracestate === undefined || tracestate === '' ? {} : { tracestate }),
  };
}

function remoteContext(headers: TraceContextHeaders): SpanContext | undefined {
  const parent = parseTraceparent(headers.traceparent);
  if (parent === undefined) return undefined;
  return {
    ...parent,
    isRemote: true,
    ...(headers.tracestate === undefined
      ? {}
      : { traceState: createTraceState(headers.tracestate) }),
  };
}

/**
 * The active span's context as W3C Trace Context headers, or `undefined` when tracing is off
 * or no span is active. Capture it where the caller's request is current and hand it to
 * {@link EnqueueOptions.trace} when the transaction runs elsewhere (a queue, a group commit).
 *
 * @example
 * ```ts
 * const trace = activeTraceContext();
 * await queue.run((trx) => enqueue(trx, input, { trace }));
 * ```
 */
export function activeTraceContext(): TraceContextHeaders | undefined {
  if (!tracing()) return undefined;
  const span = trace.getSpan(context.active())?.spanContext();
  return span === undefined || !trace.isSpanContextValid(span) ? undefined : headersOf(span);
}

/**
 * The `create` span of one event being enqueued, a child of `parent` (the request's context;
 * `undefined`: the active context), ended at once: the headers its context is stored as, or
 * `undefined` when tracing is off.
 */
export function traceCreate(
  event: RevocationEvent,
  key: string,
  parent: TraceContextHeaders | null | undefined,
): TraceContextHeaders | undefined {
  if (!tracing()) return undefined;
  let parentContext: Context = context.active();
  if (parent === null) parentContext = ROOT_CONTEXT;
  else if (parent !== undefined) {
    const remote = remoteContext(parent);
    parentContext =
      remote === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, remote);
  }
  const span = tracer().startSpan(
    'create',
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'create',
        'messaging.operation.name': 'create',
        'messaging.message.id': event.id,
        'messaging.kafka.message.key': key,
        'revocation.kind': event.kind,
      },
    },
    parentContext,
  );
  span.end();
  const created = span.spanContext();
  return trace.isSpanContextValid(created) ? headersOf(created) : undefined;
}

/** One message of a send, as {@link traceSend} reads it. */
export interface TracedMessage {
  readonly key: string;
  readonly eventId: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Runs `send` (one batch to `topic`) inside a `send <topic>` span linked to every message's
 * creation context; `send` directly when tracing is off or no message carries a context.
 */
export async function traceSend<T>(
  topic: string,
  messages: readonly TracedMessage[],
  send: () => Promise<T>,
): Promise<T> {
  if (!tracing()) return send();
  const links: Link[] = [];
  for (const message of messages) {
    const traceparent = message.headers?.[TRACEPARENT_HEADER];
    if (traceparent === undefined) continue;
    const remote = remoteContext({
      traceparent,
      tracestate: message.headers?.[TRACESTATE_HEADER],
    });
    if (remote !== undefined) links.push({ context: remote });
  }
  if (links.length === 0) return send();
  const single = messages.length === 1 ? messages[0] : undefined;
  const span: Span = tracer().startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.CLIENT,
      links,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.batch.message_count': messages.length,
        ...(single === undefined
          ? {}
          : {
              'messaging.message.id': single.eventId,
              'messaging.kafka.message.key': single.key,
            }),
      },
    },
    ROOT_CONTEXT,
  );
  try {
    return await send();
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    span.setAttribute('error.type', (error as Error).name);
    throw error;
  } finally {
    span.end();
  }
}
