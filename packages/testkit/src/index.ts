export { getKafka } from './get-kafka.js';
export type { GetKafkaOptions, KafkaBroker, KafkaSource } from './get-kafka.js';
export { createTopic } from './create-topic.js';
export type { TopicSpec } from './create-topic.js';
export { createRevocationTopic } from './revocation-topic.js';
export { uniqueTopic } from './unique-topic.js';
export { waitFor } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { configProblemLines, configProblems } from './config-problems.js';
export type { ConfigErrorClass, ReportedConfigProblem } from './config-problems.js';
export { outcomeOf } from './outcome-of.js';
export type { ErrorClass } from './outcome-of.js';
export { describeBroker, logBroker } from './log-broker.js';
export { getKeycloak } from './get-keycloak.js';
export type { GetKeycloakOptions, KeycloakServer, KeycloakSource } from './get-keycloak.js';
export { keycloakRealm } from './keycloak-realm.js';
export type { KeycloakRealmOptions, TestRealm, TestUser } from './keycloak-realm.js';
export { describeKeycloak, logKeycloak } from './log-keycloak.js';
export {
  BrokersUnreachableError,
  KafkaSourceMismatchError,
  TestkitError,
  WaitForTimeoutError,
} from './errors.js';
export type { TestkitErrorCode } from './errors.js';
export { faultKafkaSupport, startFaultKafka, startSecureKafka } from './fault-kafka.js';
export type {
  FaultKafka,
  FaultKafkaSupport,
  SecureKafka,
  StartFaultKafkaOptions,
} from './fault-kafka.js';
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
export { consumerGroups, partitionLeader } from './topic-admin.js';
export { startTopicTap } from './topic-tap.js';
export type { TopicTap, TopicTapOptions } from './topic-tap.js';
export {
  POSTGRES_ADMIN_URL,
  TEST_DATABASE_KINDS,
  createTestDatabase,
  kafkaBrokers,
  metricValue,
} from './test-database.js';
export type { TestDatabase, TestDatabaseConfig, TestDatabaseKind } from './test-database.js';
export { suiteFixture } from './suite-fixture.js';
export type { SuiteFixture } from './suite-fixture.js';
export { startEventTap } from './event-tap.js';
export type { EventTap } from './event-tap.js';
