/**
 * What every part of the service works with: configuration, data store, keys, hasher, metrics,
 * logger and clock. Passed explicitly, so tests and several instances in one process never
 * share hidden state.
 */
import type { Logger } from 'pino';
import type { PasswordHasher } from './accounts/password.js';
import type { UserServiceConfig } from './config.js';
import type { DataStore } from './db/connect.js';
import type { ServiceMetrics } from './metrics.js';
import type { SigningKeys } from './tokens/signing-keys.js';

/** The shared dependencies of one service instance. */
export interface ServiceContext {
  readonly config: UserServiceConfig;
  readonly store: DataStore;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly keys: SigningKeys;
  readonly metrics: ServiceMetrics;
  /** Current time in ms. */
  readonly now: () => number;
  /** Called after a transaction that wrote outbox events has committed: wakes the relay. */
  readonly outboxCommitted: () => void;
}
