export { ConfigError } from './config-error.js';
export type { ConfigErrorOptions, ConfigProblem } from './config-error.js';

export { loadEnvironment } from './load-environment.js';
export type {
  Environment,
  EnvironmentValues,
  LoadEnvironmentOptions,
  VariableTable,
} from './load-environment.js';

export { EXIT_CONFIG_ERROR, runService, runServiceMain } from './run-service.js';
export type {
  RunServiceOptions,
  RunnableService,
  ServiceLogger,
  ServiceMain,
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
export type { KafkaSaslConfig, KafkaSecurity, KafkaTlsConfig } from './kafka-security.js';

export {
  httpUrlVariable,
  integerVariable,
  listVariable,
  logLevelVariable,
  outboxRelayVariables,
  GATEWAY_REVOCATION_TOPIC,
  revocationTopicVariables,
} from './variables.js';

export { lifecycle } from './lifecycle.js';
export type {
  Lifecycle,
  LifecycleState,
  LifecycleSteps,
  ServiceOptions,
  StartableService,
} from './lifecycle.js';
export { createServiceLogger } from './service-logger.js';
export type { ServiceLoggerOptions } from './service-logger.js';

export { HttpError, SHELL_ERROR_STATUS, shellError } from './http/http-error.js';
export type { HttpErrorOptions, ShellErrorCode } from './http/http-error.js';
export { definePublicRoute, routeDefiner } from './http/route.js';
export type {
  HttpMethod,
  RequestFacts,
  ResponseSpec,
  Route,
  RouteDefinition,
  RouteInput,
  RouteResult,
} from './http/route.js';
export { REQUEST_ID_PATTERN, createHttpApp } from './http/http-app.js';
export type { HttpAppOptions, HttpDurationMetric } from './http/http-app.js';
export { buildOpenApiDocument, errorBodySchema, jsonSchema } from './http/openapi.js';
export type { OpenApiOptions } from './http/openapi.js';
export { systemRoutes } from './http/system-routes.js';
export type { MetricsRegistry, SystemRoutesOptions } from './http/system-routes.js';
export {
  SHUTDOWN_GRACE_MS,
  closeGracefully,
  httpServiceSteps,
  listen,
  repeat,
} from './http/listen.js';
export type { CloseOptions, HttpServiceSteps, ListenAddress, Repeating } from './http/listen.js';
export { serviceMetrics } from './service-metrics.js';
export type { ServiceMetricsBase } from './service-metrics.js';
