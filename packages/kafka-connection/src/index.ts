export { KAFKA_SASL_MECHANISMS, KAFKA_TLS_OPTION_NAMES } from './options.js';
export type {
  KafkaConnection,
  KafkaConnectionOptions,
  KafkaSasl,
  KafkaSaslMechanism,
  KafkaTlsConnectionOptions,
  KafkaTlsOptions,
} from './options.js';

export { DEFAULT_CONNECTION_TIMEOUT_MS, resolveKafkaConnection } from './resolve-connection.js';
export type { ResolveKafkaConnectionOptions } from './resolve-connection.js';

export { KafkaOptionError } from './errors.js';
export type { KafkaOptionName } from './errors.js';

export { probeBrokers } from './broker-probe.js';
export type { BrokerProbeOptions } from './broker-probe.js';
