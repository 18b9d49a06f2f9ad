export { kafkaPublisher } from './kafka-publisher.js';
export type { KafkaPublisherOptions, KafkaSasl, KafkaTls, KafkaTopicCreation } from './options.js';
