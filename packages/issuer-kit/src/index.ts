export { createIssuer } from './issuer.js';
export type { Issuer, IssuerOptions } from './issuer.js';

export { openIssuerStore } from './store/open-store.js';
export type { IssuerStore } from './store/open-store.js';
export type { DatabaseConfig } from './store/database-config.js';
export type { IssuerOutboxTable } from './store/outbox-table.js';

export { CommitGroup } from './commit/commit-group.js';
export type {
  CommitAttempt,
  CommitGroupOptions,
  CommitGroupStats,
  CommitWork,
} from './commit/commit-group.js';

export { revocationTransaction } from './commit/revocation-transaction.js';
export type {
  CommittedRevocation,
  EventDraft,
  RerunnableWork,
  RevocationAttempt,
  RevocationTransactionSetup,
  RevocationWriterOptions,
  TransactionBrakeSigner,
} from './commit/revocation-transaction.js';

export { migrateToLatest } from './migrations/migrate-to-latest.js';
export type { MigrationList } from './migrations/migrate-to-latest.js';

export { createIssuerRelay } from './relay/create-issuer-relay.js';
export type { IssuerRelayOptions } from './relay/create-issuer-relay.js';
export type {
  IssuerKafkaConfig,
  IssuerOutboxConfig,
  TopicRetentionBasis,
} from './relay/relay-settings.js';

export {
  databaseConfig,
  databaseVariables,
  issuerKafkaConfig,
  issuerOutboxConfig,
  issuerSettings,
  issuerVariables,
} from './settings/standard-variables.js';
export type {
  IssuerSettings,
  IssuerVariableDefaults,
  IssuerVariableValues,
} from './settings/standard-variables.js';

export { kafkaState } from './readiness/kafka-state.js';
export type { KafkaState } from './readiness/kafka-state.js';
export { issuerReadinessReport, issuerReadinessResponse } from './readiness/readiness-report.js';
export type { IssuerReadiness, IssuerReadinessFacts } from './readiness/readiness-report.js';

export { registerIssuerMetrics } from './metrics/issuer-metrics.js';
export type { IssuerMetrics, IssuerMetricsOptions } from './metrics/issuer-metrics.js';

export type { IssuerLogger } from './issuer-logger.js';
export type { IssuingService } from './issuing-service.js';
