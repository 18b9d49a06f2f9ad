export { ConfigError } from './config-error.js';
export type { ConfigErrorOptions, ConfigProblem } from './config-error.js';

export { loadEnvironment } from './load-environment.js';
export type {
  Environment,
  EnvironmentValues,
  LoadEnvironmentOptions,
  VariableTable,
} from './load-environment.js';

export { EXIT_CONFIG_ERROR, runService } from './run-service.js';
export type {
  RunServiceOptions,
  RunnableService,
  ServiceLogger,
  ServiceProcess,
} from './run-service.js';

export { requestIdOf, requestLogLevel, requestLogOptions } from './request-log.js';

export { clientMistakeOf } from './client-mistake.js';
export type { ClientMistake } from './client-mistake.js';
export type { AnsweredResponse, RequestLogLevel } from './request-log.js';

export {
  kafkaSecurity,
  kafkaSecurityEnvironment,
  kafkaSecurityFromEnvironment,
  kafkaSecurityVariables,
} from './kafka-security.js';
export type { KafkaSaslConfig, KafkaTlsConfig } from './kafka-security.js';

export {
  httpUrlVariable,
  integerVariable,
  listVariable,
  logLevelVariable,
  outboxRelayVariables,
  GATEWAY_REVOCATION_TOPIC,
  revocationTopicVariables,
} from './variables.js';
