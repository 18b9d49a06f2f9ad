import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { parseTraceparent } from '@revocation-fabric/protocol';
import type { RevocationRule } from '@revocation-fabric/protocol';
import { waitFor } from '@revocation-fabric/testkit';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RevokedContext } from './event-intake.js';
import { ManualFeed, revocation, signingKey } from './lib/tokens.fixture.js';
import type { SigningKey } from './lib/tokens.fixture.js';
import { closeAfterEach, trustedIssuer, trustingVerifier } from './lib/verifier.fixture.js';
import { createRevocationRelay, relayRevocations } from './relay/index.js';
import { createVerifier } from './verifier.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PRODUCER_SPAN_ID}-01`;

const open = closeAfterEach();
let key: SigningKey;

beforeAll(async () => {
  key = await signingKey();
});

afterEach(() => {
  trace.disable();
});

function registerSdk(): InMemorySpanExporter {
  const recorded = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: recorded })] }),
  );
  return recorded;
}

/** A ready verifier on a hand-driven feed, and what its one listener was told. */
async function listening(): Promise<{
  feed: ManualFeed;
  told: [RevocationRule, RevokedContext][];
}> {
  const feed = new ManualFeed();
  const verifier = open(trustingVerifier([key], feed));
  feed.markReady();
  await verifier.ready();
  const told: [RevocationRule, RevokedContext][] = [];
  verifier.onRevoked((rule, applied) => told.push([rule, applied]));
  return { feed, told };
}

describe('tracing of applied events', () => {
  it('applies an event with a traceparent in a process span, a child of the producer, and hands its context to listeners', async () => {
    const recorded = registerSdk();
    const { feed, told } = await listening();
    const event = revocation({ kind: 'session', sid: 's1', reason: 'logout' });
    feed.deliver(event, { trace: { traceparent: TRACEPARENT, tracestate: 'rf=1' } });

    const spans = recorded.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['process auth.revocations']);
    const [span] = spans;
    expect(span?.spanContext().traceId).toBe(TRACE_ID);
    expect(span?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN_ID);
    expect(span?.spanContext().traceState?.get('rf')).toBe('1');
    expect(span?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'auth.revocations',
      'messaging.operation.type': 'process',
      'messaging.message.id': event.id,
      'revocation.kind': 'session',
      'revocation.newly_rejects': true,
      'revocation.live': true,
    });
    expect(told).toHaveLength(1);
    const applied = parseTraceparent(told[0]?.[1].trace?.traceparent ?? '');
    expect(applied).toMatchObject({ traceId: TRACE_ID, spanId: span?.spanContext().spanId });
    expect(told[0]?.[1].trace?.tracestate).toBe('rf=1');
  });

  it('records that a repeated event rejects nothing new, and tells no listener', async () => {
    const recorded = registerSdk();
    const { feed, told } = await listening();
    const event = revocation({ kind: 'session', sid: 's2', reason: 'logout' });
    feed.deliver(event, { trace: { traceparent: TRACEPARENT } });
    feed.deliver(event, { trace: { traceparent: TRACEPARENT } });
    expect(
      recorded.getFinishedSpans().map((span) => span.attributes['revocation.newly_rejects']),
    ).toEqual([true, false]);
    expect(told).toHaveLength(1);
  });

  it('makes no span for an event without a trace context, or with an invalid one', async () => {
    const recorded = registerSdk();
    const { feed, told } = await listening();
    feed.deliver(revocation({ kind: 'session', sid: 's3', reason: 'logout' }));
    feed.deliver(revocation({ kind: 'session', sid: 's4', reason: 'logout' }), {
      trace: { traceparent: 'not-a-traceparent' },
    });
    expect(recorded.getFinishedSpans()).toEqual([]);
    expect(told.map(([rule, applied]) => [rule.target, applied])).toEqual([
      ['s3', {}],
      ['s4', {}],
    ]);
  });

  it('applies a traced event without any span while no SDK is registered', async () => {
    const { feed, told } = await listening();
    feed.deliver(revocation({ kind: 'session', sid: 's5', reason: 'logout' }), {
      trace: { traceparent: TRACEPARENT },
    });
    // Registered afterwards: the event applied before left nothing to export.
    const recorded = registerSdk();
    expect(told.map(([rule, applied]) => [rule.target, applied])).toEqual([['s5', {}]]);
    feed.deliver(revocation({ kind: 'session', sid: 's6', reason: 'logout' }), {
      trace: { traceparent: TRACEPARENT },
    });
    expect(recorded.getFinishedSpans()).toHaveLength(1);
  });

  it('continues the trace behind a host relay, which passes the record’s context on', async () => {
    const recorded = registerSdk();
    const feed = new ManualFeed();
    const relay = createRevocationRelay({
      revocations: () => feed,
      listen: { port: 0 },
      maxTokenLifetimeMs: 15 * 60_000,
    });
    const address = await relay.start();
    try {
      feed.markReady();
      const verifier = open(
        createVerifier({
          ...trustedIssuer([key]),
          revocations: relayRevocations('url' in address ? { url: address.url } : address),
        }),
      );
      await verifier.ready();
      feed.deliver(revocation({ kind: 'session', sid: 's7', reason: 'logout' }), {
        trace: { traceparent: TRACEPARENT, tracestate: 'rf=1' },
      });
      // The relay only streams the event; the verifier behind it applies it.
      await waitFor(() => recorded.getFinishedSpans().length > 0);
      const [span, ...more] = recorded.getFinishedSpans();
      expect(more).toEqual([]);
      expect(span?.name).toBe('process auth.revocations');
      expect(span?.spanContext().traceId).toBe(TRACE_ID);
      expect(span?.parentSpanContext?.spanId).toBe(PRODUCER_SPAN_ID);
      expect(span?.spanContext().traceState?.get('rf')).toBe('1');
    } finally {
      await relay.close();
    }
  });
});
