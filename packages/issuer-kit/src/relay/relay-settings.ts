/**
 * The relay's settings as every issuing service reads them from the standard variables
 * (`KAFKA_*`, `REVOCATION_TOPIC*`, `OUTBOX_*`, see service-runtime's variables).
 */
import type { KafkaConnectionOptions } from '@revocation-fabric/kafka-connection';

/**
 * Where the revocation topic lives and how to reach it: the fabric's Kafka connection settings
 * (brokers, SASL, TLS, timeout) and the topic this issuer writes.
 */
export interface IssuerKafkaConfig extends KafkaConnectionOptions {
  /** The Kafka principal's client id (`KAFKA_CLIENT_ID`). */
  readonly clientId: string;
  /** The revocation topic (`REVOCATION_TOPIC`). */
  readonly topic: string;
  /** Partitions when the service creates the topic. */
  readonly partitions: number;
  /** Replication factor when the service creates the topic; use 3 in production. */
  readonly replicationFactor: number;
}

/** How the outbox is relayed (`OUTBOX_*`). */
export interface IssuerOutboxConfig {
  /** Events per Kafka send. Default the publisher's (100). */
  readonly batchSize?: number | undefined;
  /** How often the relay looks for events committed by other instances, in ms. */
  readonly pollIntervalMs: number;
  /** Longest wait between publish retries, in ms. */
  readonly maxRetryDelayMs: number;
  /** How long published events stay in the outbox table, in ms. */
  readonly retentionMs: number;
}

/** What sizes the topic's retention: the events must outlive every token they may revoke. */
export interface TopicRetentionBasis {
  /** The longest token lifetime any verifier accepts from this issuer, in ms. */
  readonly maxTokenLifetimeMs: number;
  /** Clock tolerance, in ms. */
  readonly clockToleranceMs: number;
}
