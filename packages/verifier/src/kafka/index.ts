export { kafkaRevocations } from './kafka-revocations.js';
export { DEFAULT_KAFKA_CLIENT_ID } from './options.js';
export type { KafkaRevocationsOptions, KafkaSaslOptions, KafkaTlsOptions } from './options.js';
export {
  checkFeedTopicRetention,
  longestTokenLifetimeMs,
  topicRetentionRequest,
} from './topic-retention.js';
export type { FeedTopicRetentionOptions, IssuerLifetime } from './topic-retention.js';
