/**
 * Prometheus metrics of one gateway instance, on a registry of its own. The write path's
 * (`revocation_gateway_outbox_*`) are the issuer kit's, registered on this registry.
 */
import { Counter, Gauge } from 'prom-client';
import type { Histogram, Registry } from 'prom-client';
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
    ({ registry: this.registry, httpDuration: this.httpDuration } =
      serviceMetrics('revocation_gateway_'));
    const registers = [this.registry];
    this.signals = new Counter({
      name: 'revocation_gateway_signals_total',
      help: 'Signals received, by provider, source (backchannel, ssf-push, ssf-poll), outcome (accepted, refused, duplicate) and reason (the rule’s reason, or why it was refused).',
      labelNames: ['provider', 'source', 'outcome', 'reason'],
      registers,
    });
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
    this.nonConforming = new Counter({
      name: 'revocation_gateway_nonconforming_signals_total',
      help: 'Signals accepted although they do not follow their standard, by provider and what (event_timestamp_ms: a timestamp in milliseconds).',
      labelNames: ['provider', 'what'],
      registers,
    });
    this.transmitterErrors = new Counter({
      name: 'revocation_gateway_transmitter_errors_total',
      help: 'Failed requests to an SSF transmitter, by provider and step.',
      labelNames: ['provider', 'step'],
      registers,
    });
  }
}
