/**
 * What every part of the service works with: configuration, the write path (issuer kit), keys,
 * hasher, metrics, logger and clock. Passed explicitly, so tests and several instances in one
 * process never share hidden state.
 */
import type { Issuer } from '@revocation-fabric/issuer-kit';
import type { Logger } from 'pino';
import type { PasswordHasher } from './accounts/password.js';
import type { UserServiceConfig } from './config.js';
import type { Database, DataStore } from './db/schema.js';
import type { ServiceMetrics } from './metrics.js';
import type { SigningKeys } from './tokens/signing-keys.js';

/** The shared dependencies of one service instance. */
export interface ServiceContext {
  readonly config: UserServiceConfig;
  /** The write path: store, relay, revocation transactions. */
  readonly issuer: Issuer<Database>;
  /** The data store (`issuer.store`). */
  readonly store: DataStore;
  readonly logger: Logger;
  readonly hasher: PasswordHasher;
  readonly keys: SigningKeys;
  readonly metrics: ServiceMetrics;
  /** Current time in ms. */
  readonly now: () => number;
}
