export { kafkaRevocations } from './kafka-revocations.js';
export {
  DEFAULT_KAFKA_CLIENT_ID,
  DEFAULT_RECEIPT_INTERVAL_MS,
  DEFAULT_SNAPSHOT_INTERVAL_MS,
} from './options.js';
export type {
  KafkaRevocationsOptions,
  KafkaSaslOptions,
  ReceiptOptions,
  SnapshotOptions,
} from './options.js';
export type {
  KafkaConnectionOptions,
  KafkaSasl,
  KafkaTlsOptions,
} from '@revocation-fabric/kafka-connection';
export { KafkaOptionError } from '@revocation-fabric/kafka-connection';
export {
  checkFeedTopicRetention,
  longestTokenLifetimeMs,
  topicRetentionRequest,
} from './topic-retention.js';
export type { FeedTopicRetentionOptions, IssuerLifetime } from './topic-retention.js';
