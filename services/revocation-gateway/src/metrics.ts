/**
 * Prometheus metrics of one gateway instance, on a registry of its own. The write path's
 * (`revocation_gateway_outbox_*`) are the issuer kit's, registered on this registry.
 */
import { Gauge } from 'prom-client';
import type { Counter, Histogram, Registry } from 'prom-client';
import { serviceMetrics } from '@revocation-fabric/service-runtime';

/** What the gauges read at scrape time. */
export interface MetricSources {
  /** 1 while the relay's last contact with Kafka succeeded. */
  readonly kafkaUp: () => number;
  /** Per SSF provider: 1 while its stream is set up (`ready`). */
  readonly streamsUp: () => ReadonlyMap<string, number>;
}

/** The gateway's metrics. */
export class GatewayMetrics {
  readonly registry: Registry;
  /** Every signal, once, by provider, source, outcome and reason. */
  readonly signals: Counter<'provider' | 'source' | 'outcome' | 'reason'>;
  /** Failed requests to a transmitter (discovery, token, stream, poll), by provider and step. */
  readonly transmitterErrors: Counter<'provider' | 'step'>;
  readonly nonConforming: Counter<'provider' | 'what'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(sources: MetricSources) {
    const base = serviceMetrics('revocation_gateway_');
    this.registry = base.registry;
    this.httpDuration = base.httpDuration;
    const registers = [this.registry];
    this.signals = base.counter(
      'revocation_gateway_signals_total',
      'Signals received, by provider, source (backchannel, ssf-push, ssf-poll), outcome (accepted, refused, duplicate) and reason (the rule’s reason, or why it was refused).',
      ['provider', 'source', 'outcome', 'reason'],
    );
    new Gauge({
      name: 'revocation_gateway_kafka_up',
      help: '1 while the relay’s last contact with Kafka succeeded.',
      registers,
      collect() {
        this.set(sources.kafkaUp());
      },
    });
    new Gauge({
      name: 'revocation_gateway_ssf_stream_up',
      help: '1 while the provider’s SSF stream is registered and verified.',
      labelNames: ['provider'],
      registers,
      collect() {
        for (const [provider, up] of sources.streamsUp()) this.set({ provider }, up);
      },
    });
    this.nonConforming = base.counter(
      'revocation_gateway_nonconforming_signals_total',
      'Signals accepted although they do not follow their standard, by provider and what (event_timestamp_ms: a timestamp in milliseconds).',
      ['provider', 'what'],
    );
    this.transmitterErrors = base.counter(
      'revocation_gateway_transmitter_errors_total',
      'Failed requests to an SSF transmitter, by provider and step.',
      ['provider', 'step'],
    );
  }
}
