// A workspace-private kit: its modules re-export whole; lib/kafka-client keeps a helper of its
// own (withAdmin), so only the names listed from there are public.
export * from './get-kafka.js';
export * from './fault-kafka.js';
export * from './log-broker.js';
export * from './get-keycloak.js';
export * from './keycloak-realm.js';
export * from './log-keycloak.js';
export * from './errors.js';

export * from './create-topic.js';
export * from './revocation-topic.js';
export * from './unique-topic.js';
export * from './topic-admin.js';
export * from './topic-tap.js';
export * from './event-tap.js';
export { openTopicWriter, startTopicReader } from './lib/kafka-client.js';
export type {
  ClientOptions,
  OutgoingRecord,
  RecordAck,
  TopicReader,
  TopicReaderOptions,
  TopicRecord,
  TopicWriter,
  TopicWriterOptions,
} from './lib/kafka-client.js';

export * from './wait-for.js';
export * from './outcome-of.js';
export * from './config-problems.js';
export * from './test-database.js';
export * from './suite-fixture.js';
