export { enqueue } from './outbox/enqueue.js';
export type { BrakeSigner, EnqueueOptions } from './outbox/enqueue.js';
export { activeTraceContext } from './tracing/tracing.js';

export { outboxMigration, outboxHeadersMigration } from './outbox/migration.js';
export type { OutboxMigration, OutboxMigrationOptions } from './outbox/migration.js';

export { OUTBOX_TABLE } from './outbox/outbox-table.js';
export type {
  OutboxExecutor,
  OutboxSchema,
  OutboxTable,
  SqlDialect,
} from './outbox/outbox-table.js';

export { outboxBacklog } from './outbox/backlog.js';
export type { OutboxBacklog } from './outbox/backlog.js';

export { OutboxRelay } from './relay/outbox-relay.js';
export type { OutboxRelayOptions, RelayObserver } from './relay/relay-options.js';
export type { RelayStatus } from './relay/relay-status.js';
export { DEFAULT_RELAY_LOCK_ID } from './relay/leadership.js';

export type { RevocationMessage, RevocationPublisher } from './revocation-publisher.js';

export { silentLogger } from './logger.js';
export type { PublisherLogger } from './logger.js';

export { PublisherError, PublishFailedError, TopicSetupError } from './errors.js';
export type {
  PublisherErrorCode,
  PublishFailedErrorOptions,
  TopicSetupErrorOptions,
} from './errors.js';
