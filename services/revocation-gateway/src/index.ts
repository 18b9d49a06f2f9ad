export { createGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway.js';

export { loadConfig, parseProviders } from './config/load-config.js';
export type { DatabaseConfig, GatewayConfig } from './config/load-config.js';
export {
  ASYMMETRIC_ALGORITHMS,
  providerSchema,
  providersSchema,
} from './config/provider-config.js';
export type { AsymmetricAlgorithm, ProviderConfig, SsfConfig } from './config/provider-config.js';

export {
  EVENT_TYPES,
  NO_RULE_EVENTS,
  SET_EVENT_REASONS,
  mapSignal,
  signalCutoff,
} from './signals/mapping.js';
export type { MappingContext, MappingResult, RuleDraft } from './signals/mapping.js';
export { BACKCHANNEL_LOGOUT_EVENT } from './signals/signal.js';
export type {
  BackchannelLogoutSignal,
  SecurityEventSignal,
  SignalSource,
  StandardSignal,
} from './signals/signal.js';
export { REFUSALS, SET_ERROR_CODES, SignalRefusedError } from './signals/refusal.js';
export type {
  RefusalAnswer,
  RefusalCode,
  SetErrorCode,
  SignalRefusedErrorOptions,
} from './signals/refusal.js';

export { ConfigError, ERROR_CODES } from './errors.js';
