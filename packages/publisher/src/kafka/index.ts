export { kafkaPublisher } from './kafka-publisher.js';
export type { KafkaPublisherOptions, KafkaTls, KafkaTopicCreation } from './options.js';
export { KafkaOptionError } from '@revocation-fabric/kafka-connection';
export type {
  KafkaConnectionOptions,
  KafkaOptionName,
  KafkaSasl,
  KafkaTlsOptions,
} from '@revocation-fabric/kafka-connection';
