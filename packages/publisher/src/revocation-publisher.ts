/**
 * The seam between the relay and a message broker. The relay only ever sees this interface; the
 * Kafka implementation (`@revocation-fabric/publisher/kafka`) is the one place that knows a
 * Kafka client, so the client can be replaced without touching the relay.
 */

/** One encoded event as the relay hands it over: exactly the committed outbox row. */
export interface RevocationMessage {
  /** Message key, `kind:target` (log compaction keeps the latest record per key). */
  readonly key: string;
  /** The event's UTF-8 JSON, as encoded by the protocol when it was enqueued. */
  readonly value: string;
  /** The event's id, also sent as the `event-id` header. */
  readonly eventId: string;
  /**
   * Further record headers committed with the event: a brake's `revocation-signature`, the
   * creating span's `traceparent` and `tracestate` when tracing was on.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/**
 * Publishes batches of revocation events.
 *
 * @example
 * ```ts
 * const publisher: RevocationPublisher = kafkaPublisher({ brokers: ['127.0.0.1:9092'] });
 * await publisher.publish([{ key: 'session:s1', value: json, eventId: id }]);
 * await publisher.close();
 * ```
 */
export interface RevocationPublisher {
  /**
   * Publishes a batch, in order. Resolves only once the broker acknowledged every message
   * durably (Kafka: acks=all); rejects otherwise, and the relay sends the batch again later.
   */
  publish(messages: readonly RevocationMessage[]): Promise<void>;
  /**
   * Connects ahead of the first publish (and prepares the topic, if the implementation does
   * that). Optional: `publish` connects on its own. Rejects with the protocol's
   * `TopicRetentionTooShortError` when the topic would delete rules too early: the relay's
   * `prepare` lets that one through, so a service start fails with it.
   */
  connect?(): Promise<void>;
  /**
   * Asks, cheaply and without publishing, whether the broker answers right now; resolves true
   * or false, never rejects. Optional: with it, the relay notices the broker's return within a
   * probe interval after an outage instead of waiting out its backoff.
   */
  probe?(): Promise<boolean>;
  /** Disconnects. A later `publish` or `connect` connects again. */
  close(): Promise<void>;
}
