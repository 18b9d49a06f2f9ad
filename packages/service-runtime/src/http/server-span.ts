/**
 * The HTTP shell's OpenTelemetry server span — the one file of the package that imports
 * `@opentelemetry/api`. Opt-in by registration: until the process registers an SDK's tracer
 * provider the API is a no-op and {@link traceRequests} passes every request straight on.
 *
 * Each request gets a SERVER span, a child of the caller's context when its headers carry one
 * (read with the globally registered propagator, W3C `traceparent` by default in the SDKs), named
 * `<METHOD> <route template>` once the route is known, with the HTTP semantic conventions'
 * attributes. A request already inside a server span (an HTTP instrumentation of the SDK) keeps
 * that one. The route runs in the span's context (see {@link inRequestContext}), so what it
 * enqueues joins the request's trace.
 */
import type { IncomingMessage } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { ProxyTracerProvider } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';

const TRACER_NAME = '@revocation-fabric/service-runtime';

/** Each traced request's context, for its route handler (see {@link inRequestContext}). */
const requestContexts = new WeakMap<IncomingMessage, Context>();

function tracing(): boolean {
  const provider = trace.getTracerProvider();
  return (
    !(provider instanceof ProxyTracerProvider) ||
    provider.getDelegateTracer(TRACER_NAME) !== undefined
  );
}

/** Middleware: the request's server span (see the module comment); a pass-through when off. */
export function traceRequests(req: Request, res: Response, next: NextFunction): void {
  if (!tracing()) {
    next();
    return;
  }
  const active = context.active();
  if (trace.getSpan(active) !== undefined) {
    requestContexts.set(req, active);
    next();
    return;
  }
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = trace.getTracer(TRACER_NAME).startSpan(
    req.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        'url.path': req.path,
        'url.scheme': req.protocol,
      },
    },
    parent,
  );
  const spanContext = trace.setSpan(parent, span);
  requestContexts.set(req, spanContext);
  res.once('close', () => {
    const route = (req.route as { path?: unknown } | undefined)?.path;
    if (typeof route === 'string') {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', String(res.statusCode));
    }
    span.end();
  });
  context.with(spanContext, next);
}

/**
 * Runs `work` in the context of `req`'s server span, when it has one: the body parser and other
 * middleware may have run it on another async context, so the route handler enters it again.
 */
export function inRequestContext<T>(req: IncomingMessage, work: () => T): T {
  const requestContext = requestContexts.get(req);
  return requestContext === undefined ? work() : context.with(requestContext, work);
}
