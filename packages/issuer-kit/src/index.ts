// A workspace-private kit: every module's exports are the kit's API, so the modules re-export whole.
export * from './issuer.js';
export type * from './issuer-logger.js';
export type * from './issuing-service.js';

export * from './store/open-store.js';
export type * from './store/database-config.js';
export type * from './store/outbox-table.js';

export * from './commit/commit-group.js';
export * from './commit/revocation-transaction.js';

export * from './migrations/migrate-to-latest.js';

export * from './relay/create-issuer-relay.js';
export type * from './relay/relay-settings.js';

export * from './settings/standard-variables.js';

export * from './readiness/kafka-state.js';
export * from './readiness/readiness-report.js';

export * from './metrics/issuer-metrics.js';
