export { kafkaPublisher } from './kafka-publisher.js';
export type { KafkaPublisherOptions, KafkaTls, KafkaTopicCreation } from './options.js';
export { KafkaOptionError } from '@revocation-fabric/kafka-connection';
export type {
  KafkaConnectionOptions,
  KafkaSasl,
  KafkaTlsOptions,
} from '@revocation-fabric/kafka-connection';
