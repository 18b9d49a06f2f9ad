/**
 * The verifier's OpenTelemetry spans — the one file of the package that imports
 * `@opentelemetry/api`. Opt-in by registration: until the process registers an SDK's tracer
 * provider the API is a no-op, and an event is not even looked at for a trace context. Token
 * verification never comes here: only events that carry a context (the record's `traceparent`
 * header, written by a publisher that traced the revocation) do, each costing a span.
 *
 * - `process <source>` (CONSUMER, messaging semantic conventions): one event applied, a child
 *   of the context the record carried (the producer's `create` span), so each verifier's apply
 *   is in the trace of the request that revoked.
 * - `socket.io disconnect`: the sockets one rule cut, a child of the apply that told the socket
 *   adapter, ended once the last of them is disconnected.
 */
import { ROOT_CONTEXT, SpanKind, createTraceState, trace } from '@opentelemetry/api';
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { Context, Span, SpanContext } from '@opentelemetry/api';
import { formatTraceparent, parseTraceparent } from '@revocation-fabric/protocol';
import type {
  RevocationEvent,
  RevocationRule,
  TraceContextHeaders,
} from '@revocation-fabric/protocol';

const TRACER_NAME = '@revocation-fabric/verifier';

/**
 * Whether a tracer provider is registered (not the API's no-op). Read each time, not cached:
 * an application may register its SDK after creating the verifier.
 */
function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return (
    !(provider instanceof ProxyTracerProvider) ||
    provider.getDelegateTracer(TRACER_NAME) !== undefined
  );
}

function parentContext(headers: TraceContextHeaders): Context | undefined {
  const parent = parseTraceparent(headers.traceparent);
  if (parent === undefined) return undefined;
  const remote: SpanContext = {
    ...parent,
    isRemote: true,
    ...(headers.tracestate === undefined
      ? {}
      : { traceState: createTraceState(headers.tracestate) }),
  };
  return trace.setSpanContext(ROOT_CONTEXT, remote);
}

function headersOf(span: Span): TraceContextHeaders | undefined {
  const spanContext = span.spanContext();
  if (!trace.isSpanContextValid(spanContext)) return undefined;
  const tracestate = spanContext.traceState?.serialize();
  return {
    traceparent: formatTraceparent(spanContext),
    ...(tracestate === undefined || tracestate === '' ? {} : { tracestate }),
  };
}

/** An event's `process` span, open while the event is applied. */
export interface ApplySpan {
  /** The span's context, for what the apply tells listeners (the socket cuts). */
  readonly trace: TraceContextHeaders | undefined;
  /** Ends the span; `rejects`: whether the event's rule newly rejects tokens. */
  end(rejects: boolean, live: boolean): void;
}

/**
 * Opens the `process` span of an event read from `source` with the trace context `carried`;
 * `undefined` when tracing is off or the context is not a valid `traceparent`.
 */
export function startApplySpan(
  event: RevocationEvent,
  source: string,
  carried: TraceContextHeaders,
): ApplySpan | undefined {
  if (!tracing()) return undefined;
  const parent = parentContext(carried);
  if (parent === undefined) return undefined;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    `process ${source}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': source,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.message.id': event.id,
        'revocation.kind': event.kind,
        'revocation.issuer': event.iss,
      },
    },
    parent,
  );
  return {
    trace: headersOf(span),
    end(rejects, live) {
      span.setAttribute('revocation.newly_rejects', rejects);
      span.setAttribute('revocation.live', live);
      span.end();
    },
  };
}

/**
 * Opens the `socket.io disconnect` span of `sockets` sockets cut by `rule`, a child of the
 * apply's context `applied`; `undefined` (nothing to end) when tracing is off or there is none.
 *
 * @returns the span's end.
 */
export function startCutSpan(
  applied: TraceContextHeaders | undefined,
  rule: RevocationRule,
  sockets: number,
): (() => void) | undefined {
  if (applied === undefined || !tracing()) return undefined;
  const parent = parentContext(applied);
  if (parent === undefined) return undefined;
  const span = trace.getTracer(TRACER_NAME).startSpan(
    'socket.io disconnect',
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'revocation.kind': rule.kind,
        'revocation.event_id': rule.eventId,
        'revocation.sockets': sockets,
      },
    },
    parent,
  );
  return () => span.end();
}
